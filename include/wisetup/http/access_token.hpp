#pragma once

#include <chrono>
#include <string>

namespace wisetup::http {

/// A bearer token. Never log `token`.
struct AccessToken {
  std::string token;
  std::chrono::system_clock::time_point expires_on;
};

} // namespace wisetup::http
