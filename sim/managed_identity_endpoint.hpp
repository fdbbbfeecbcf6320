#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

namespace wisetup::sim {

/// Serves the plain-HTTP managed identity listener (reference section 8): the IMDS token
/// endpoint GET /metadata/identity/oauth2/token (header Metadata: true; api-version 2018-02-01
/// or 2019-08-01; resource; at most one of client_id, object_id, msi_res_id) and the App Service
/// endpoint GET /msi/token (header X-IDENTITY-HEADER; api-version 2019-08-01; resource; at most
/// one of client_id, principal_id, mi_res_id). They hand out tokens of the machine's identities
/// (the seed's managedIdentityHost); numbers in the answers are strings, as these services write
/// them.
void handle_managed_identity(SimulatorContext& context,
                             httplib::Request const& request,
                             httplib::Response& response);

} // namespace wisetup::sim
