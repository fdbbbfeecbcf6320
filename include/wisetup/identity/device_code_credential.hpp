#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/transport.hpp>
#include <wisetup/identity/token_credential.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace wisetup::identity {

/// Shows the user the device-code message ("To sign in, use a web browser to open ... and enter
/// the code ...").
using DeviceCodePrompt = std::function<void(std::string_view message)>;

/// Interactive sign-in on another device (`--auth device-code`): POST .../devicecode, show the
/// message, poll the token endpoint every `interval` (authorization_pending: keep polling;
/// slow_down: +5 s; expired_token, authorization_declined, bad_verification_code: stop with
/// core::AuthenticationError).
class DeviceCodeCredential final : public TokenCredential {
public:
  DeviceCodeCredential(std::string authority_host,
                       std::string tenant_id,
                       std::string client_id,
                       DeviceCodePrompt prompt,
                       std::shared_ptr<http::Transport> transport,
                       std::shared_ptr<core::Clock> clock);
  [[nodiscard]] AccessToken get_token(std::string const& scope) const override;
  [[nodiscard]] std::string describe() const override;

private:
  struct Impl;
  std::shared_ptr<Impl const> m_impl;
};

} // namespace wisetup::identity
