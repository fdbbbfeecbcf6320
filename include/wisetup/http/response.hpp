#pragma once

#include <wisetup/http/headers.hpp>

#include <string>

namespace wisetup::http {

/// One HTTP response, body fully read.
struct Response {
  int status = 0;
  Headers headers;
  std::string body;
  [[nodiscard]] bool ok() const { return status >= 200 && status < 300; }
};

} // namespace wisetup::http
