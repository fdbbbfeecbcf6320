#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/retry_policy.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/http/transport.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace wisetup::identity {

/// Shows the user the device-code message ("To sign in, use a web browser to open ... and enter
/// the code ...").
using DeviceCodePrompt = std::function<void(std::string_view message)>;

/// Interactive sign-in on another device (`--auth device-code`, reference §7.4): POST
/// {authority}/{tenant}/oauth2/v2.0/devicecode, show the message, poll the token endpoint every
/// `interval` through the clock (authorization_pending: keep polling; slow_down: +5 s;
/// expired_token, authorization_declined, bad_verification_code, or expires_in passed: stop with
/// core::AuthenticationError). The sign-in asks for offline_access; its refresh token is kept in
/// memory only (never written, never logged) and redeemed for the other scopes of the run, so the
/// user signs in once. One sign-in at a time: concurrent callers wait. No cache of access tokens:
/// wrap it in a CachedCredential.
class DeviceCodeCredential final : public http::TokenCredential {
public:
  /// `authority_host` is "https://login.microsoftonline.com" (a trailing slash is tolerated); an
  /// empty `tenant_id` signs in through "organizations" (any work or school account). `client_id`
  /// is a public client application (one that allows public client flows). Never throws.
  DeviceCodeCredential(std::string authority_host,
                       std::string tenant_id,
                       std::string client_id,
                       DeviceCodePrompt prompt,
                       std::shared_ptr<http::Transport> transport,
                       std::shared_ptr<core::Clock> clock,
                       http::RetryOptions retry = {});
  /// Throws core::AuthenticationError when Microsoft Entra refuses to start the sign-in (AADSTS
  /// code, its first sentence and a fix), when the user declines or does not finish in time, or
  /// when an answer holds no usable token; http::TransportError naming the authority when it
  /// cannot be reached.
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override;
  /// "device code sign-in (client id <id>, tenant <tenant>)".
  [[nodiscard]] std::string describe() const override;

private:
  struct Impl;
  std::shared_ptr<Impl const> m_impl;
};

} // namespace wisetup::identity
