#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/http/transport.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace wisetup::identity {

namespace detail {
class TokenEndpoint;
}

/// Produces a fresh client assertion (a signed JWT, or a federated token) for one token request.
/// May throw core::AuthenticationError or core::InvalidInput; get_token passes that on.
using ClientAssertionCallback = std::function<std::string()>;

/// How a ClientAssertionCredential presents itself; every field is optional.
struct ClientAssertionOptions {
  /// What describe() returns; empty: "client assertion (AZURE_CLIENT_ID=<id>)".
  std::string description;
  /// Fixes for AADSTS codes specific to where the assertion comes from, as the end of a sentence
  /// ("check ..."); return an empty string to use the general ones.
  std::function<std::string(std::int64_t aadsts_code)> hint;
  /// The fix when the refusal has no known code; empty: "check AZURE_TENANT_ID and
  /// AZURE_CLIENT_ID and where the client assertion comes from".
  std::string fallback_hint;
  /// Retries of the token request.
  http::RetryOptions retry;
};

/// Client credentials grant with a client assertion (urn:ietf:params:oauth:client-assertion-type:
/// jwt-bearer) against `<authority>/<tenant>/oauth2/v2.0/token`: the base of the certificate and
/// workload identity credentials. The callback runs once per get_token, so every request carries
/// a new assertion. No cache: wrap it in a CachedCredential. The assertion is never logged and
/// never appears in a message.
class ClientAssertionCredential final : public http::TokenCredential {
public:
  /// `authority_host` is "https://login.microsoftonline.com" (a trailing slash is tolerated).
  ClientAssertionCredential(std::string authority_host,
                            std::string tenant_id,
                            std::string client_id,
                            ClientAssertionCallback assertion,
                            std::shared_ptr<http::Transport> transport,
                            std::shared_ptr<core::Clock> clock,
                            ClientAssertionOptions options = {});
  /// Throws what the callback throws; core::AuthenticationError when the token endpoint refuses
  /// (AADSTS code, the service's first sentence and a fix: an expired assertion (700024) and a
  /// federated token no federated credential matches (70021, 700211-700213) have their own), and
  /// http::TransportError naming the authority when it cannot be reached.
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override;
  [[nodiscard]] std::string describe() const override;
  /// The token endpoint, which is also the `aud` claim a signed assertion must carry.
  [[nodiscard]] std::string const& token_url() const;

private:
  std::string m_client_id;
  ClientAssertionCallback m_assertion;
  ClientAssertionOptions m_options;
  std::shared_ptr<detail::TokenEndpoint const> m_endpoint;
};

} // namespace wisetup::identity
