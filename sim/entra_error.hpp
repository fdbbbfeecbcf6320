#pragma once

#include <httplib.h>

#include <string>

namespace wisetup::sim {

/// An error answer of the Microsoft Entra token endpoint (reference section 7.5), thrown by the
/// handlers of the token, device code and client assertion flows.
struct EntraError {
  int status;              ///< 400 or 401
  std::string error;       ///< "invalid_client", "invalid_request", "authorization_pending", ...
  int code;                ///< the AADSTS number; 0 = none (RFC 8628's slow_down)
  std::string description; ///< what follows "AADSTS<code>: "; never a secret
};

/// Writes `failure` as Entra does: {"error","error_description" (starting with the AADSTS code,
/// ending with trace and correlation ids and the timestamp),"error_codes","timestamp",
/// "trace_id","correlation_id","error_uri"}.
void send_entra_error(httplib::Response& response, EntraError const& failure);

/// "The request body must contain the following parameter: 'name'." (AADSTS900144).
[[nodiscard]] EntraError missing_parameter(std::string const& name);

} // namespace wisetup::sim
