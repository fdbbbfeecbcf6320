#pragma once

#include <wisetup/core/error.hpp>
#include <wisetup/http/request.hpp>
#include <wisetup/http/response.hpp>

#include <string>

namespace wisetup::http {

/// The one seam to the network. Implementations send a request and read the whole response;
/// they never retry and never interpret the status.
class Transport {
public:
  virtual ~Transport() = default;
  /// Throws TransportError when no response could be read.
  [[nodiscard]] virtual Response send(Request const& request) = 0;
};

/// No HTTP response: DNS, TCP, TLS or timeout failure. The message names the host, never a secret.
class TransportError : public core::Error {
public:
  explicit TransportError(std::string const& message)
      : core::Error(message, core::ExitCode::Network) {}
};

} // namespace wisetup::http
