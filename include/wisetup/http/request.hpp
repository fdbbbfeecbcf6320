#pragma once

#include <wisetup/http/headers.hpp>

#include <string>
#include <string_view>

namespace wisetup::http {

enum class Method { Get, Put, Post, Patch, Delete };

[[nodiscard]] std::string_view to_string(Method method);

/// One HTTP request; `url` is absolute (https://host[:port]/path?query).
struct Request {
  Method method = Method::Get;
  std::string url;
  Headers headers;
  std::string body;
};

} // namespace wisetup::http
