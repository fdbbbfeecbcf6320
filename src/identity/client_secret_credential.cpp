// Client credentials grant with a secret (Microsoft Entra v2.0 token endpoint):
// POST <authority>/<tenant>/oauth2/v2.0/token, grant_type=client_credentials&client_secret=...
#include "identity/token_endpoint.hpp"

#include <wisetup/http/url.hpp>
#include <wisetup/identity/client_secret_credential.hpp>

namespace wisetup::identity {
namespace {

/// The fixes that only concern a secret, as the end of a sentence.
std::string secret_hint(std::int64_t code) {
  switch (code) {
  case 7000215:
    return "check AZURE_CLIENT_SECRET: it must be the secret's value, not its id";
  case 7000222:
    return "the client secret has expired: create a new one for the app registration and set "
           "AZURE_CLIENT_SECRET to its value";
  default:
    return {};
  }
}

} // namespace

ClientSecretCredential::ClientSecretCredential(std::string authority_host,
                                               std::string tenant_id,
                                               std::string client_id,
                                               std::string client_secret,
                                               std::shared_ptr<http::Transport> transport,
                                               std::shared_ptr<core::Clock> clock,
                                               http::RetryOptions retry)
    : m_client_id(std::move(client_id)), m_client_secret(std::move(client_secret)),
      m_endpoint(std::make_shared<detail::TokenEndpoint>(std::move(authority_host),
                                                         std::move(tenant_id),
                                                         std::move(transport),
                                                         std::move(clock),
                                                         std::move(retry))) {}

std::string ClientSecretCredential::describe() const {
  return "client secret (AZURE_CLIENT_ID=" + m_client_id + ")";
}

http::AccessToken ClientSecretCredential::get_token(std::string const& scope) const {
  detail::Refusal const refusal{describe(),
                                secret_hint,
                                "check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET",
                                {m_client_secret}};
  return m_endpoint->request(
      "grant_type=client_credentials&client_id=" + http::percent_encode(m_client_id) +
          "&client_secret=" + http::percent_encode(m_client_secret) +
          "&scope=" + http::percent_encode(scope),
      scope,
      refusal);
}

} // namespace wisetup::identity
