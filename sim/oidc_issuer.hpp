#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

namespace wisetup::sim {

/// Serves the OIDC discovery document and JWKS of every cluster whose issuer is enabled, under
/// /oidc/{tenant}/{guid}/ (reference section 11). Unauthenticated, like the real issuer; 404 for
/// an issuer URL no cluster has (yet).
void handle_oidc(SimulatorContext& context,
                 httplib::Request const& request,
                 httplib::Response& response);

} // namespace wisetup::sim
