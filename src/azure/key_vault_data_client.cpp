// Key Vault data plane, api-version 7.4: GET {vaultUri}secrets/{name}, only to learn whether the
// caller may get secrets. The secret's value (on a 200) is never read or kept.
#include "azure/json_fields.hpp"

#include <wisetup/azure/key_vault_data_client.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/http/url.hpp>

namespace wisetup::azure {
namespace {

using detail::string_at;

/// Key Vault's `{"error":{"code","message","innererror":{"code"}}}`; anything else reads as empty.
struct VaultError {
  std::string code;
  std::string inner_code;
  std::string message;
};

VaultError parse_vault_error(std::string const& text) {
  auto const body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return {};
  }
  return VaultError{string_at(body, {"error", "code"}),
                    string_at(body, {"error", "innererror", "code"}),
                    string_at(body, {"error", "message"})};
}

std::string hint_for(int status) {
  switch (status) {
  case 401:
    return "; the vault did not accept the access token (check that the cloud's Key Vault "
           "suffix matches the vault and that the token's tenant owns the vault)";
  case 429:
    return "; Key Vault throttled the request: try again in a minute";
  default:
    return {};
  }
}

} // namespace

KeyVaultDataClient::KeyVaultDataClient(std::shared_ptr<http::Pipeline const> pipeline)
    : m_pipeline(std::move(pipeline)) {}

SecretProbe KeyVaultDataClient::probe_secret_get(std::string const& vault_uri,
                                                 std::string const& secret_name) const {
  if (secret_name.empty()) {
    throw core::InvalidInput("The name of the secret to probe in Key Vault is empty.");
  }
  // The bearer policy refuses plain http too; this says which value is wrong.
  if (!core::is_https_url(vault_uri)) {
    throw core::InvalidInput("The Key Vault URI \"" + http::url_without_query(vault_uri) +
                             "\" is not an https:// URL; use the vault's properties.vaultUri.");
  }
  auto const base = vault_uri.ends_with('/') ? vault_uri : vault_uri + "/";
  http::Request request{http::Method::Get,
                        base + "secrets/" + http::percent_encode(secret_name) +
                            "?api-version=" + std::string(k_api_version),
                        {},
                        {}};
  request.headers.set("Accept", "application/json");
  auto const response = m_pipeline->send(request);

  if (response.ok()) {
    return SecretProbe{SecretAccess::Granted, {}, {}};
  }
  auto const error = parse_vault_error(response.body);
  auto const code = error.inner_code.empty() ? error.code : error.inner_code;
  if (response.status == 404 && core::equals_ignoring_case(error.code, "SecretNotFound")) {
    return SecretProbe{SecretAccess::Granted, code, error.message};
  }
  if (response.status == 403) {
    auto const firewall = core::equals_ignoring_case(error.inner_code, "ForbiddenByFirewall") ||
                          core::equals_ignoring_case(error.code, "ForbiddenByFirewall");
    return SecretProbe{
        firewall ? SecretAccess::Firewall : SecretAccess::Denied, code, error.message};
  }

  http::ServiceFault fault;
  fault.status = response.status;
  fault.code = code;
  fault.message = error.message;
  fault.request_id = response.headers.get("x-ms-request-id").value_or("");
  fault.method = "GET";
  fault.url = http::url_without_query(request.url);
  auto sentence = "Key Vault refused GET " + fault.url + " (" + std::to_string(fault.status) +
                  (fault.code.empty() ? "" : " " + fault.code) + "): " +
                  (fault.message.empty() ? "the answer carried no error message" : fault.message) +
                  hint_for(fault.status) +
                  (fault.request_id.empty() ? "" : " (request id " + fault.request_id + ")") + ".";
  auto const exit =
      fault.status == 401 ? core::ExitCode::Authentication : core::ExitCode::ServiceError;
  throw http::ServiceError(sentence, std::move(fault), exit);
}

} // namespace wisetup::azure
