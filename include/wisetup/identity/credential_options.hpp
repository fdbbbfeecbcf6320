#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/core/cloud.hpp>
#include <wisetup/core/environment.hpp>
#include <wisetup/http/transport.hpp>
#include <wisetup/identity/device_code_credential.hpp>
#include <wisetup/identity/process_runner.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace wisetup::identity {

/// How wi-setup signs in (`--auth`).
enum class AuthKind {
  Default,          ///< the chain: environment, workload identity, managed identity, Azure CLI
  Environment,      ///< client secret or certificate from AZURE_* variables
  WorkloadIdentity, ///< federated token file, or the GitHub Actions job token
  ManagedIdentity,  ///< the machine's managed identity (IMDS or App Service style)
  AzureCli,         ///< the signed-in `az`
  DeviceCode,       ///< interactive sign-in on another device; never part of the chain
};

/// "default", "environment", "workload-identity", "managed-identity", "azure-cli" or
/// "device-code". Throws core::InvalidInput naming the value and listing these.
[[nodiscard]] AuthKind parse_auth_kind(std::string_view text);

/// The `--auth` spelling of `kind`.
[[nodiscard]] std::string_view to_string(AuthKind kind);

/// What make_credential needs. `environment`, `transport` and `clock` are required.
struct CredentialOptions {
  AuthKind kind = AuthKind::Default;
  /// Where AZURE_* (and IDENTITY_*, ACTIONS_ID_TOKEN_*) variables are read. Must outlive the
  /// credential (the managed identity credential may read it later).
  core::Environment const* environment = nullptr;
  /// Its authority host is the default for every Microsoft Entra kind; AZURE_AUTHORITY_HOST
  /// (https:// only) overrides it.
  core::Cloud cloud;
  /// Carries token requests (Entra, GitHub, managed identity endpoints).
  std::shared_ptr<http::Transport> transport;
  /// A transport with a short timeout (about 1 s) for the first managed identity request, so a
  /// machine without an endpoint is detected quickly. Without one the default chain leaves
  /// managed identity out, and `--auth managed-identity` probes through `transport`.
  std::shared_ptr<http::Transport> probe_transport;
  /// Carries the managed identity endpoints' requests after the probe. Azure says the metadata
  /// service must be reached directly, so this one (and probe_transport) uses no proxy. Empty:
  /// `transport`.
  std::shared_ptr<http::Transport> managed_identity_transport;
  std::shared_ptr<core::Clock> clock;
  /// Runs `az`. Without one the default chain leaves the Azure CLI out, and
  /// `--auth azure-cli` uses make_process_runner().
  std::shared_ptr<ProcessRunner const> process_runner;
  /// Shows the device code message; required for AuthKind::DeviceCode.
  DeviceCodePrompt device_code_prompt;
  /// The tenant to use when AZURE_TENANT_ID is not set (a flag, or the signed-in az profile's):
  /// passed to `az --tenant` and used by device code (which otherwise signs in to
  /// "organizations"). The environment and workload identity kinds need AZURE_TENANT_ID itself.
  std::string tenant_id;
};

} // namespace wisetup::identity
