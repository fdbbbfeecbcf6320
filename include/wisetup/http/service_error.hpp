#pragma once

#include <wisetup/core/error.hpp>

#include <string>

namespace wisetup::http {

/// What a service said when it refused a request: status plus the parsed error envelope (ARM
/// `error.code`/`error.message`, Kubernetes Status `reason`/`message`, Entra `error`).
struct ServiceFault {
  int status = 0;
  std::string code;       ///< service error code ("ResourceNotFound", "AlreadyExists", ...)
  std::string message;    ///< the service's own message
  std::string request_id; ///< x-ms-request-id (or the Kubernetes audit id), may be empty
  std::string method;     ///< "PUT"
  std::string url;        ///< request URL with the query string removed
};

/// A service answered with an error. `what()` is a sentence for the user; classify by
/// `fault().status` and `fault().code`, never by the text.
class ServiceError : public core::Error {
public:
  /// `code` is ExitCode::Authentication when the service refused the token itself (a 401).
  ServiceError(std::string const& sentence,
               ServiceFault fault,
               core::ExitCode code = core::ExitCode::ServiceError)
      : core::Error(sentence, code), m_fault(std::move(fault)) {}
  [[nodiscard]] ServiceFault const& fault() const { return m_fault; }

private:
  ServiceFault m_fault;
};

} // namespace wisetup::http
