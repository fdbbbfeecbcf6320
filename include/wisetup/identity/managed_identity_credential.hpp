#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/core/environment.hpp>
#include <wisetup/http/transport.hpp>
#include <wisetup/identity/token_credential.hpp>

#include <memory>
#include <string>

namespace wisetup::identity {

/// Which user-assigned identity to ask for (at most one set); none: the system-assigned one.
struct ManagedIdentitySelector {
  std::string client_id;
  std::string object_id;
  std::string resource_id;
};

/// Tokens from the managed identity endpoint of the machine: App Service style when
/// IDENTITY_ENDPOINT and IDENTITY_HEADER are set, otherwise IMDS at
/// AZURE_POD_IDENTITY_AUTHORITY_HOST (default http://169.254.169.254). Throws CredentialUnavailable
/// when no endpoint answers the first (short-timeout) probe, core::AuthenticationError when one
/// answers with a refusal.
class ManagedIdentityCredential final : public TokenCredential {
public:
  ManagedIdentityCredential(core::Environment const& environment,
                            ManagedIdentitySelector selector,
                            std::shared_ptr<http::Transport> transport,
                            std::shared_ptr<http::Transport> probe_transport,
                            std::shared_ptr<core::Clock> clock);
  [[nodiscard]] AccessToken get_token(std::string const& scope) const override;
  [[nodiscard]] std::string describe() const override;

private:
  struct Impl;
  std::shared_ptr<Impl const> m_impl;
};

} // namespace wisetup::identity
