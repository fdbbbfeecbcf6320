// The federated token exchange of a workload (Microsoft Entra v2.0 token endpoint):
// POST <authority>/<tenant>/oauth2/v2.0/token, grant_type=client_credentials with a
// service-account token as the client assertion. A refusal is an answer here, not an error.
#include "identity/entra_error.hpp"
#include "identity/token_endpoint.hpp"

#include <wisetup/core/text.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/federated_token_exchange.hpp>

#include <nlohmann/json.hpp>

namespace wisetup::identity {
namespace {

std::string text_member(nlohmann::json const& body, char const* name) {
  auto const found = body.find(name);
  return found != body.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

} // namespace

ExchangeResult exchange_federated_token(std::shared_ptr<http::Transport> transport,
                                        core::Cloud const& cloud,
                                        std::string const& tenant_id,
                                        std::string const& client_id,
                                        std::string const& assertion,
                                        std::string const& scope) {
  return exchange_federated_token(std::move(transport),
                                  cloud,
                                  tenant_id,
                                  client_id,
                                  assertion,
                                  scope,
                                  ExchangeOptions{std::make_shared<core::SystemClock>(), {}});
}

ExchangeResult exchange_federated_token(std::shared_ptr<http::Transport> transport,
                                        core::Cloud const& cloud,
                                        std::string const& tenant_id,
                                        std::string const& client_id,
                                        std::string const& assertion,
                                        std::string const& scope,
                                        ExchangeOptions options) {
  auto clock = options.clock ? std::move(options.clock) : std::make_shared<core::SystemClock>();
  detail::TokenEndpoint const endpoint(cloud.active_directory,
                                       tenant_id,
                                       std::move(transport),
                                       std::move(clock),
                                       std::move(options.retry));
  detail::Refusal const refusal{
      "client id " + client_id + " (federated token exchange)", {}, {}, {assertion}};
  auto form =
      "grant_type=client_credentials&client_id=" + http::percent_encode(client_id) +
      "&client_assertion_type=" + http::percent_encode(detail::k_jwt_bearer_assertion_type) +
      "&client_assertion=" + http::percent_encode(assertion) +
      "&scope=" + http::percent_encode(scope);
  auto const response = endpoint.post(std::move(form), refusal.secrets);
  if (response.ok()) {
    return ExchangeResult{true, endpoint.token_from(response), {}, {}, {}};
  }
  auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  // Only Entra's own refusal is an answer; anything else (5xx, a proxy's page) is a failure.
  if ((response.status != 400 && response.status != 401) || !body.is_object() ||
      (text_member(body, "error").empty() && text_member(body, "error_description").empty())) {
    endpoint.throw_refusal(response, scope, refusal);
  }
  ExchangeResult result;
  result.error = detail::without_secrets(text_member(body, "error"), refusal.secrets);
  auto const description =
      detail::without_secrets(text_member(body, "error_description"), refusal.secrets);
  result.description = std::string(core::trimmed(description));
  auto const code = detail::aadsts_code(body, result.description);
  if (code != 0) {
    result.error_code = "AADSTS" + std::to_string(code);
  }
  return result;
}

std::string_view aadsts_meaning(std::string_view code) {
  if (code.size() >= 6 && (code.substr(0, 6) == "AADSTS" || code.substr(0, 6) == "aadsts")) {
    code.remove_prefix(6);
  }
  if (code == "700211") {
    return "No federated identity credential of the identity has the token's issuer: the "
           "credential's issuer must equal the cluster's OIDC issuer URL exactly, trailing slash "
           "included.";
  }
  if (code == "700212") {
    return "No federated identity credential of the identity has the token's audience: the "
           "credential's audience must equal the service-account token's aud "
           "(api://AzureADTokenExchange).";
  }
  if (code == "700213") {
    return "No federated identity credential of the identity has the token's subject: the "
           "credential's subject must be system:serviceaccount:<namespace>:<service account>.";
  }
  if (code == "70021") {
    return "No federated identity credential of the identity matches the token's issuer, subject "
           "and audience; a new or changed credential can take a few minutes to apply.";
  }
  if (code == "700016") {
    return "The identity (application) was not found in the tenant: the client id or tenant is "
           "wrong, or a new identity has not replicated yet (retry in a few minutes).";
  }
  if (code == "700024") {
    return "The service-account token is expired or not yet valid: check the clocks and request "
           "a fresh token.";
  }
  if (code == "50027") {
    return "The service-account token is not a well-formed JWT (malformed or invalid token).";
  }
  return {};
}

} // namespace wisetup::identity
