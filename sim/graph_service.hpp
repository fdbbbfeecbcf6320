#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

#include <string>

namespace wisetup::sim {

/// True for the paths of the simulated Microsoft Graph: /graph/...
[[nodiscard]] bool is_graph_path(std::string const& path);

/// A minimal Microsoft Graph v1.0 under {base_url}/graph/ (reference section 12): GET
/// /graph/v1.0/servicePrincipals with $filter=appId eq '...', id eq '...', displayName eq '...'
/// or servicePrincipalNames/any(c:c eq '...'), GET /servicePrincipals/{id} and
/// /servicePrincipals(appId='...'). Service principals are the seeded principals, the machine's
/// system-assigned identity and every user-assigned identity (id = principalId, appId =
/// clientId). Bearer tokens for https://graph.microsoft.com/ or the simulator's graph resource.
void handle_graph(SimulatorContext& context,
                  httplib::Request const& request,
                  httplib::Response& response);

} // namespace wisetup::sim
