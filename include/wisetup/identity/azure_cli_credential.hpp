#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/identity/process_runner.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace wisetup::identity {

/// Tokens from the signed-in Azure CLI: `az account get-access-token --output json --scope S
/// [--tenant T]`, values checked character by character before they reach argv. Throws
/// CredentialUnavailable when `az` is missing or not signed in (one sentence saying so).
/// Each get_token runs az (no cache: wrap it in a CachedCredential). az's stdout may hold a
/// token: no message ever quotes it.
class AzureCliCredential final : public http::TokenCredential {
public:
  /// An empty `tenant_id` leaves the tenant to az's signed-in profile. `clock` only serves the
  /// debug log of the token's lifetime. `timeout` bounds each run of az. Never throws.
  AzureCliCredential(std::shared_ptr<ProcessRunner const> runner,
                     std::string tenant_id,
                     std::shared_ptr<core::Clock> clock,
                     std::chrono::milliseconds timeout = std::chrono::seconds{13});
  /// Throws core::InvalidInput before running az when the scope holds anything but letters,
  /// digits and . - : / _ or the tenant anything but letters, digits and . -;
  /// CredentialUnavailable when az is not installed or not signed in; core::AuthenticationError
  /// when az fails otherwise (with the first line az wrote to stderr), runs past the timeout, or
  /// prints no accessToken or no readable expiry (expires_on, else the local time expiresOn).
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override;
  /// "Azure CLI (az)" or "Azure CLI (az, tenant <tenant>)".
  [[nodiscard]] std::string describe() const override;

private:
  std::shared_ptr<ProcessRunner const> m_runner;
  std::string m_tenant_id;
  std::shared_ptr<core::Clock> m_clock;
  std::chrono::milliseconds m_timeout;
};

/// The signed-in `az` profile (`az account show --output json`): the defaults for the tenant and
/// the subscription when neither flag nor variable gives them.
struct AzureCliProfile {
  std::string subscription_id; ///< "id"
  std::string tenant_id;       ///< "tenantId"
};
/// Runs `az account show --output json`. nullopt (with the reason in the debug log) when `az` is
/// missing, signed out, fails, times out or prints no id and tenantId. Throws only what the
/// runner throws (core::Error when az exists but cannot be started).
[[nodiscard]] std::optional<AzureCliProfile>
read_azure_cli_profile(ProcessRunner const& runner,
                       std::chrono::milliseconds timeout = std::chrono::seconds{13});

} // namespace wisetup::identity
