#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

#include <string>

namespace wisetup::sim {

/// The vaultUri of the vault `name` on this simulator: {base_url}/keyvault/{lower-case name}/
/// (ARM's properties.vaultUri points at it; the real one is https://{name}.vault.azure.net/).
[[nodiscard]] std::string key_vault_uri(std::string const& base_url, std::string const& name);

/// True for the paths the Key Vault data plane serves: /keyvault/...
[[nodiscard]] bool is_key_vault_path(std::string const& path);

/// Serves the secrets of every vault under its vaultUri (reference section 15): GET
/// secrets/{name}[/{version}] and PUT secrets/{name}, with Entra bearer tokens for
/// https://vault.azure.net and the vault's access policies or role assignments deciding.
void handle_key_vault(SimulatorContext& context,
                      httplib::Request const& request,
                      httplib::Response& response);

} // namespace wisetup::sim
