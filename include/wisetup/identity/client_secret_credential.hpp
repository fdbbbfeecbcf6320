#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/http/transport.hpp>

#include <memory>
#include <string>

namespace wisetup::identity {

namespace detail {
class TokenEndpoint;
}

/// Client credentials grant with a secret against `<authority>/<tenant>/oauth2/v2.0/token`.
/// Each get_token asks the token endpoint (no cache: wrap it in a CachedCredential). Requests go
/// through a pipeline with retry and logging but no bearer policy; the log never shows bodies.
class ClientSecretCredential final : public http::TokenCredential {
public:
  /// `authority_host` is "https://login.microsoftonline.com" (a trailing slash is tolerated).
  /// `retry` tunes the retries of the token request.
  ClientSecretCredential(std::string authority_host,
                         std::string tenant_id,
                         std::string client_id,
                         std::string client_secret,
                         std::shared_ptr<http::Transport> transport,
                         std::shared_ptr<core::Clock> clock,
                         http::RetryOptions retry = {});
  /// Throws core::AuthenticationError when the token endpoint refuses (the message gives the
  /// AADSTS code, the service's first sentence and a fix, never the secret), and
  /// http::TransportError naming the authority when it cannot be reached.
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override;
  /// "client secret (AZURE_CLIENT_ID=<id>)".
  [[nodiscard]] std::string describe() const override;

private:
  std::string m_client_id;
  std::string m_client_secret;
  std::shared_ptr<detail::TokenEndpoint const> m_endpoint;
};

} // namespace wisetup::identity
