#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/core/cloud.hpp>
#include <wisetup/core/environment.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/http/transport.hpp>
#include <wisetup/identity/credential_options.hpp>

#include <memory>

namespace wisetup::identity {

/// The credential for this run, wrapped in a CachedCredential (tokens kept in memory per scope,
/// refreshed before expiry, never written anywhere).
///
/// `options.kind` picks one kind, or AuthKind::Default for the chain Environment -> workload
/// identity -> managed identity -> Azure CLI (as the Azure SDKs order it; see
/// ChainedTokenCredential for why a rejected credential stops it):
/// - environment: a client secret when AZURE_CLIENT_SECRET is set, else a certificate when
///   AZURE_CLIENT_CERTIFICATE_PATH is set (with AZURE_CLIENT_CERTIFICATE_PASSWORD), both with
///   AZURE_TENANT_ID and AZURE_CLIENT_ID;
/// - workload identity: AZURE_FEDERATED_TOKEN_FILE, else the GitHub Actions job token
///   (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN), with AZURE_TENANT_ID and AZURE_CLIENT_ID;
/// - managed identity: in the chain the system-assigned identity (or the only user-assigned
///   one), as the C++ SDK does, so that an AZURE_CLIENT_ID meant for a service principal never
///   selects a missing identity; with `--auth managed-identity`, AZURE_CLIENT_ID selects a
///   user-assigned identity. Left out of the chain without `options.probe_transport`;
/// - Azure CLI: `az` with --tenant AZURE_TENANT_ID or `options.tenant_id` when set. Left out of
///   the chain without `options.process_runner`;
/// - device code (only when asked): client AZURE_CLIENT_ID or the Azure CLI's public client
///   04b07795-8ddb-461a-bbee-02f9e1bf7b46, tenant AZURE_TENANT_ID, `options.tenant_id` or
///   "organizations".
/// The environment and workload identity kinds are decided here, from the variables: one that
/// is configured ends the chain (nothing after it could be reached), and one that is not is
/// skipped with its reason. Throws CredentialUnavailable when the kind asked for is not
/// configured, core::AuthenticationError listing each kind and why it is unusable when no kind
/// of the chain can be (without asking any endpoint), core::InvalidInput for a malformed
/// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_AUTHORITY_HOST (not https) or certificate file.
/// Sends nothing: kinds that need an endpoint or `az` are tried at the first get_token.
[[nodiscard]] std::shared_ptr<http::TokenCredential const>
make_credential(CredentialOptions const& options);

/// make_credential with AuthKind::Default, no probe transport and no process runner: the
/// environment and workload identity kinds only.
[[nodiscard]] std::shared_ptr<http::TokenCredential const>
make_credential(core::Environment const& environment,
                core::Cloud const& cloud,
                std::shared_ptr<http::Transport> transport,
                std::shared_ptr<core::Clock> clock);

} // namespace wisetup::identity
