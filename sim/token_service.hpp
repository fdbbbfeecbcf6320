#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

#include <optional>
#include <string>

namespace wisetup::sim {

/// True for the paths of the Entra endpoints: /{tenant}/oauth2/v2.0/token, /{tenant}/oauth2/token,
/// /{tenant}/oauth2/v2.0/devicecode, /devicelogin and the OpenID discovery documents
/// (/{tenant}/v2.0/.well-known/..., /adfs/.well-known/...).
[[nodiscard]] bool is_token_service_path(std::string const& path);

/// Serves the Entra token endpoint (client credentials with a client secret or a client
/// assertion, the device code grant and refresh tokens of device code sign-ins), the device code
/// endpoint, the verification page and the discovery documents (reference section 7).
void handle_token_service(SimulatorContext& context,
                          httplib::Request const& request,
                          httplib::Response& response);

/// The audience Key Vault's data plane wants (reference section 15), in every token for it.
inline constexpr char const* k_key_vault_resource = "https://vault.azure.net";

/// The audience of tokens for `resource` (a v1 resource, a managed identity resource or a v2
/// scope without "/.default"), if the simulator issues tokens for it: ARM (both identifiers, with
/// or without the trailing slash), Graph (https://graph.microsoft.com/ and the simulator's own,
/// simulated_graph_resource(base_url)), Key Vault (https://vault.azure.net, no trailing slash)
/// and the AKS server app.
[[nodiscard]] std::optional<std::string> known_resource(std::string const& resource,
                                                        std::string const& base_url = {});

/// The simulator's Microsoft Graph: {base_url}/graph/ (cloud.json microsoftGraphResourceId, the
/// audience of its tokens and the base of its /v1.0/ paths).
[[nodiscard]] std::string simulated_graph_resource(std::string const& base_url);

/// Registers `token` (its expiry already set) and returns the access token string, with the
/// tenant's issuer in "iss".
[[nodiscard]] std::string issue_access_token(SimulatorContext& context, IssuedToken const& token);

} // namespace wisetup::sim
