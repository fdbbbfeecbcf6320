#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

namespace wisetup::sim {

/// Serves the OIDC discovery document and JWKS of every cluster whose issuer is enabled, under
/// /oidc/{tenant}/{guid}/ (reference section 11), and of the GitHub-Actions-like issuer under
/// /github/.well-known/ (openid-configuration, jwks). Unauthenticated, like the real issuers; 404
/// for an issuer URL no cluster has (yet).
void handle_oidc(SimulatorContext& context,
                 httplib::Request const& request,
                 httplib::Response& response);

/// True for the paths handle_oidc serves: /oidc/... and /github/.well-known/...
[[nodiscard]] bool is_oidc_path(std::string const& path);

} // namespace wisetup::sim
