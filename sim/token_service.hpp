#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

#include <string>

namespace wisetup::sim {

/// True for the paths of the Entra endpoints: /{tenant}/oauth2/v2.0/token, /{tenant}/oauth2/token
/// and the OpenID discovery documents (/{tenant}/v2.0/.well-known/..., /adfs/.well-known/...).
[[nodiscard]] bool is_token_service_path(std::string const& path);

/// Serves the Entra token endpoint (client credentials with a client secret) and the discovery
/// documents that point at it (reference section 7).
void handle_token_service(SimulatorContext& context,
                          httplib::Request const& request,
                          httplib::Response& response);

} // namespace wisetup::sim
