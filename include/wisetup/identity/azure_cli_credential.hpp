#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/identity/process_runner.hpp>
#include <wisetup/identity/token_credential.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace wisetup::identity {

/// Tokens from the signed-in Azure CLI: `az account get-access-token --output json --scope S
/// [--tenant T]`, values checked character by character before they reach argv. Throws
/// CredentialUnavailable when `az` is missing or not signed in (one sentence saying so).
class AzureCliCredential final : public TokenCredential {
public:
  AzureCliCredential(std::shared_ptr<ProcessRunner const> runner,
                     std::string tenant_id,
                     std::shared_ptr<core::Clock> clock,
                     std::chrono::milliseconds timeout = std::chrono::seconds{13});
  [[nodiscard]] AccessToken get_token(std::string const& scope) const override;
  [[nodiscard]] std::string describe() const override;

private:
  std::shared_ptr<ProcessRunner const> m_runner;
  std::string m_tenant_id;
  std::shared_ptr<core::Clock> m_clock;
  std::chrono::milliseconds m_timeout;
};

/// The signed-in `az` profile (`az account show --output json`): the defaults for the tenant and
/// the subscription when neither flag nor variable gives them. nullopt when `az` is missing or
/// signed out.
struct AzureCliProfile {
  std::string subscription_id;
  std::string tenant_id;
};
[[nodiscard]] std::optional<AzureCliProfile>
read_azure_cli_profile(ProcessRunner const& runner,
                       std::chrono::milliseconds timeout = std::chrono::seconds{13});

} // namespace wisetup::identity
