// Client credentials grant with a client assertion (Microsoft Entra v2.0 token endpoint):
// POST <authority>/<tenant>/oauth2/v2.0/token, grant_type=client_credentials
// &client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=...
#include "identity/token_endpoint.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/client_assertion_credential.hpp>

namespace wisetup::identity {
namespace {

/// The fixes that concern any client assertion, as the end of a sentence.
std::string assertion_hint(std::int64_t code, std::string const& client_id) {
  switch (code) {
  case 700024:
    return "the client assertion is expired or not yet valid: check this machine's clock, and "
           "that a federated token is fresh";
  case 70021:
  case 700211:
  case 700212:
  case 700213:
    return "no federated identity credential of the application or managed identity " + client_id +
           " matches the token's issuer, subject and audience: compare them with the federated "
           "credential (a new one can take a few minutes to apply)";
  case 700027:
    return "the client assertion's signature does not match a certificate of the application " +
           client_id + ": upload the certificate to its app registration";
  default:
    return {};
  }
}

} // namespace

ClientAssertionCredential::ClientAssertionCredential(std::string authority_host,
                                                     std::string tenant_id,
                                                     std::string client_id,
                                                     ClientAssertionCallback assertion,
                                                     std::shared_ptr<http::Transport> transport,
                                                     std::shared_ptr<core::Clock> clock,
                                                     ClientAssertionOptions options)
    : m_client_id(std::move(client_id)), m_assertion(std::move(assertion)),
      m_options(std::move(options)),
      m_endpoint(std::make_shared<detail::TokenEndpoint>(std::move(authority_host),
                                                         std::move(tenant_id),
                                                         std::move(transport),
                                                         std::move(clock),
                                                         m_options.retry)) {
  if (!m_assertion) {
    throw core::Error("ClientAssertionCredential needs an assertion callback");
  }
  if (m_options.description.empty()) {
    m_options.description = "client assertion (AZURE_CLIENT_ID=" + m_client_id + ")";
  }
  if (m_options.fallback_hint.empty()) {
    m_options.fallback_hint =
        "check AZURE_TENANT_ID and AZURE_CLIENT_ID and where the client assertion comes from";
  }
}

std::string ClientAssertionCredential::describe() const {
  return m_options.description;
}

std::string const& ClientAssertionCredential::token_url() const {
  return m_endpoint->url();
}

http::AccessToken ClientAssertionCredential::get_token(std::string const& scope) const {
  auto assertion = m_assertion();
  if (assertion.empty()) {
    throw core::AuthenticationError("the client assertion for " + describe() +
                                    " is empty; no token can be requested with it");
  }
  detail::Refusal refusal{describe(),
                          [this](std::int64_t code) {
                            auto hint = m_options.hint ? m_options.hint(code) : std::string{};
                            return hint.empty() ? assertion_hint(code, m_client_id) : hint;
                          },
                          m_options.fallback_hint,
                          {}};
  auto form =
      "grant_type=client_credentials&client_id=" + http::percent_encode(m_client_id) +
      "&client_assertion_type=" + http::percent_encode(detail::k_jwt_bearer_assertion_type) +
      "&client_assertion=" + http::percent_encode(assertion) +
      "&scope=" + http::percent_encode(scope);
  refusal.secrets.push_back(std::move(assertion));
  return m_endpoint->request(std::move(form), scope, refusal);
}

} // namespace wisetup::identity
