#pragma once

#include <wisetup/azure/key_vault_client.hpp>
#include <wisetup/azure/resource_ref.hpp>
#include <wisetup/cli/command_options.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace wisetup::cli {

/// The validated inputs of `enable`: every name checked against its rule, defaults filled in.
struct EnableInputs {
  azure::ResourceRef cluster;
  azure::ResourceRef identity;
  std::optional<std::string> location;         ///< nullopt: the cluster's location
  std::optional<azure::ResourceRef> key_vault; ///< nullopt: no Key Vault step
  azure::VaultPermissions permissions;
  std::string kube_namespace;
  std::string service_account;
  std::string federated_credential;
  std::string audience;
  std::chrono::seconds timeout{0}; ///< --timeout, the whole run's deadline
};

/// "30" (minutes), "90s", "15m", "2h" as a duration; nullopt when it is not one of those or not
/// positive.
[[nodiscard]] std::optional<std::chrono::seconds> parse_timeout(std::string_view text);

/// Checks every option and throws one core::InvalidInput listing every problem, each naming the
/// flag, its environment variable and the rule; nothing is sent before this passes.
[[nodiscard]] EnableInputs resolve_inputs(CommandOptions const& options);

} // namespace wisetup::cli
