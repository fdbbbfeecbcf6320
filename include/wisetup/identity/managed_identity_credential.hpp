#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/core/environment.hpp>
#include <wisetup/http/retry_policy.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/http/transport.hpp>

#include <memory>
#include <string>

namespace wisetup::identity {

/// Which user-assigned identity to ask for (at most one set); none: the system-assigned one.
struct ManagedIdentitySelector {
  std::string client_id;
  std::string object_id;   ///< also called principal id
  std::string resource_id; ///< the identity's full ARM resource id
  /// Part of the default chain: a first answer that is not a managed identity endpoint's (a
  /// proxy's 403, 404 or 407, a non-JSON body) means none is here, and the chain goes on. Asked
  /// for by name (--auth managed-identity), such an answer stays an error.
  bool in_default_chain = false;
};

/// The retries of managed identity requests after the probe answered, as the IMDS documentation
/// asks: 404, 410, 429 and every 5xx, with an exponential backoff that waits at least 1 s before
/// the first retry and at least 70 s in all (IMDS may answer 410 that long while it updates).
[[nodiscard]] http::RetryOptions managed_identity_retry_options();

/// Tokens from the managed identity endpoint of the machine: App Service style when
/// IDENTITY_ENDPOINT and IDENTITY_HEADER are set (GET {IDENTITY_ENDPOINT}?resource=..&api-version=
/// 2019-08-01, header X-IDENTITY-HEADER), otherwise IMDS at AZURE_POD_IDENTITY_AUTHORITY_HOST
/// (default http://169.254.169.254; GET /metadata/identity/oauth2/token?api-version=2018-02-01
/// &resource=.., header Metadata: true). The resource is the scope without "/.default". No cache:
/// wrap it in a CachedCredential. The IDENTITY_HEADER value is a secret: it never appears in
/// messages or logs.
class ManagedIdentityCredential final : public http::TokenCredential {
public:
  /// Reads the variables above from `environment` once. Never throws: a bad configuration (an
  /// unusable AZURE_POD_IDENTITY_AUTHORITY_HOST or IDENTITY_ENDPOINT, more than one selector)
  /// is reported by get_token. The very first request goes through `probe_transport` (give it a
  /// short timeout, about 1 s, to find out quickly that there is no endpoint); the others go
  /// through `transport` with `retry`.
  ManagedIdentityCredential(core::Environment const& environment,
                            ManagedIdentitySelector selector,
                            std::shared_ptr<http::Transport> transport,
                            std::shared_ptr<http::Transport> probe_transport,
                            std::shared_ptr<core::Clock> clock,
                            http::RetryOptions retry = managed_identity_retry_options());
  /// Throws CredentialUnavailable when no endpoint answered the probe (then and for every later
  /// call, without asking again); core::AuthenticationError when the endpoint refuses (400 names
  /// the selector: no such identity on this machine) or answers without a usable token, also
  /// after the retries of 404/410/429/5xx ran out; http::TransportError naming the endpoint when
  /// it stops answering after the probe; core::InvalidInput for a bad configuration.
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override;
  /// "managed identity (IMDS at http://169.254.169.254, client_id 0000...)".
  [[nodiscard]] std::string describe() const override;

private:
  struct Impl;
  std::shared_ptr<Impl const> m_impl;
};

} // namespace wisetup::identity
