#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/transport.hpp>
#include <wisetup/identity/token_credential.hpp>

#include <memory>
#include <string>

namespace wisetup::identity {

/// Client credentials grant with a secret against `<authority>/<tenant>/oauth2/v2.0/token`.
class ClientSecretCredential final : public TokenCredential {
public:
  ClientSecretCredential(std::string authority_host,
                         std::string tenant_id,
                         std::string client_id,
                         std::string client_secret,
                         std::shared_ptr<http::Transport> transport,
                         std::shared_ptr<core::Clock> clock);
  [[nodiscard]] AccessToken get_token(std::string const& scope) const override;
  [[nodiscard]] std::string describe() const override;

private:
  std::string m_token_url;
  std::string m_client_id;
  std::string m_client_secret;
  std::shared_ptr<http::Transport> m_transport;
  std::shared_ptr<core::Clock> m_clock;
};

} // namespace wisetup::identity
