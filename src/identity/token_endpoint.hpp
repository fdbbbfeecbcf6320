#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/access_token.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/transport.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wisetup::identity::detail {

/// The client_assertion_type of a form that signs in with a JWT (RFC 7523).
inline constexpr char const* k_jwt_bearer_assertion_type =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// "<authority>/<tenant>/oauth2/v2.0/token": the endpoint, and the `aud` of client assertions.
[[nodiscard]] std::string token_url(std::string const& authority_host,
                                    std::string const& tenant_id);

/// A POST of `form` (already x-www-form-urlencoded) to `url` that asks for JSON: how the
/// credentials call Microsoft Entra's endpoints (token, devicecode).
[[nodiscard]] http::Request form_post(std::string url, std::string form);

/// A credential's own fix for an AADSTS code, as the end of a sentence ("check ..."); an empty
/// string leaves the code to the fixes every credential shares.
using HintFor = std::function<std::string(std::int64_t aadsts_code)>;

/// How a credential presents itself when the token endpoint refuses it.
struct Refusal {
  std::string who;           ///< describe() of the credential
  HintFor hint;              ///< its own fixes, asked before the shared ones; may be empty
  std::string fallback_hint; ///< the fix when no code is known ("check AZURE_TENANT_ID, ...")
  /// Values never to show in a message (a secret, an assertion); their percent-encoded forms
  /// are removed too.
  std::vector<std::string> secrets;
};

/// The Microsoft Entra v2.0 token endpoint of one tenant, shared by the credentials that post a
/// client_credentials form to it (secret, assertion). Requests go through a pipeline with retry
/// and logging but no bearer policy; the log never shows bodies.
class TokenEndpoint {
public:
  /// `authority_host` is "https://login.microsoftonline.com" (a trailing slash is tolerated).
  TokenEndpoint(std::string authority_host,
                std::string tenant_id,
                std::shared_ptr<http::Transport> transport,
                std::shared_ptr<core::Clock> clock,
                http::RetryOptions retry);

  [[nodiscard]] std::string const& url() const { return m_url; }
  [[nodiscard]] std::string const& authority_host() const { return m_authority_host; }
  [[nodiscard]] std::string const& tenant_id() const { return m_tenant_id; }

  /// POSTs `form` (already x-www-form-urlencoded) and reads the token from the answer.
  /// Throws core::AuthenticationError when the endpoint refuses (AADSTS code, the service's first
  /// sentence and a fix) or answers without a usable token, and http::TransportError naming the
  /// authority when it cannot be reached. No message contains `refusal.secrets`.
  [[nodiscard]] http::AccessToken
  request(std::string form, std::string const& scope, Refusal const& refusal) const;

  /// The steps of request(), for callers that handle a refusal themselves (the token exchange
  /// check of `verify`). post() sends the form and returns any answer; it throws
  /// http::TransportError naming the authority (without `secrets`) when none arrives.
  [[nodiscard]] http::Response post(std::string form,
                                    std::vector<std::string> const& secrets) const;
  /// The token of a 2xx answer; throws core::AuthenticationError when it carries none.
  [[nodiscard]] http::AccessToken token_from(http::Response const& response) const;
  /// Throws the core::AuthenticationError request() throws for a non-2xx answer.
  [[noreturn]] void throw_refusal(http::Response const& response,
                                  std::string const& scope,
                                  Refusal const& refusal) const;

private:
  [[nodiscard]] std::string rejection_message(http::Response const& response,
                                              std::string const& scope,
                                              Refusal const& refusal) const;

  std::string m_authority_host;
  std::string m_tenant_id;
  std::string m_url;
  std::shared_ptr<core::Clock> m_clock;
  std::shared_ptr<http::Pipeline> m_pipeline;
};

/// `text` with every occurrence of each secret (and of its percent-encoded form) replaced by
/// REDACTED. Defence in depth: a service or proxy could echo the request back.
[[nodiscard]] std::string without_secrets(std::string text,
                                          std::vector<std::string> const& secrets);

} // namespace wisetup::identity::detail
