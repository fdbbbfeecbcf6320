#include <wisetup/http/request.hpp>

namespace wisetup::http {

std::string_view to_string(Method method) {
  switch (method) {
  case Method::Get:
    return "GET";
  case Method::Put:
    return "PUT";
  case Method::Post:
    return "POST";
  case Method::Patch:
    return "PATCH";
  case Method::Delete:
    return "DELETE";
  }
  return "GET";
}

} // namespace wisetup::http
