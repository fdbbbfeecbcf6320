// Client credentials grant (Microsoft Entra v2.0 token endpoint):
// POST <authority>/<tenant>/oauth2/v2.0/token, application/x-www-form-urlencoded.
#include <wisetup/core/error.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/client_secret_credential.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <charconv>
#include <cstdint>
#include <string_view>

namespace wisetup::identity {
namespace {

std::string without_trailing_slash(std::string value) {
  while (!value.empty() && value.back() == '/') {
    value.pop_back();
  }
  return value;
}

/// What to do about an AADSTS code, as the end of a sentence.
std::string hint_for(std::int64_t code, std::string const& scope) {
  switch (code) {
  case 7000215:
    return "check AZURE_CLIENT_SECRET: it must be the secret's value, not its id";
  case 7000222:
    return "the client secret has expired: create a new one for the app registration and set "
           "AZURE_CLIENT_SECRET to its value";
  case 90002:
  case 900023:
    return "check AZURE_TENANT_ID and the cloud (--cloud): no such tenant there";
  case 700016:
    return "check AZURE_CLIENT_ID and AZURE_TENANT_ID: that application is not registered in "
           "that tenant";
  case 500011:
  case 70011:
    return "the scope " + scope + " is not known in this tenant; check the cloud (--cloud)";
  case 53003:
    return "Conditional Access blocked the sign-in; ask a tenant administrator to allow this "
           "service principal";
  case 7000112:
    return "the application is disabled; ask a tenant administrator to enable it";
  default:
    return "check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET";
  }
}

/// The AADSTS number: from error_codes, else from the "AADSTSnnnn:" prefix of the description.
std::int64_t aadsts_code(nlohmann::json const& body, std::string_view description) {
  auto const codes = body.find("error_codes");
  if (codes != body.end() && codes->is_array() && !codes->empty() &&
      codes->front().is_number_integer()) {
    return codes->front().get<std::int64_t>();
  }
  constexpr std::string_view k_prefix = "AADSTS";
  if (description.starts_with(k_prefix)) {
    std::int64_t code = 0;
    auto const digits = description.substr(k_prefix.size());
    if (std::from_chars(digits.data(), digits.data() + digits.size(), code).ec == std::errc{}) {
      return code;
    }
  }
  return 0;
}

/// The service's first sentence, without its "AADSTSnnnn: " prefix, trace ids and timestamps.
std::string first_sentence(std::string_view description) {
  if (description.starts_with("AADSTS")) {
    auto const colon = description.find(": ");
    if (colon != std::string_view::npos) {
      description.remove_prefix(colon + 2);
    }
  }
  auto end = description.find_first_of("\r\n");
  for (auto dot = description.find('.'); dot != std::string_view::npos && dot < end;
       dot = description.find('.', dot + 1)) {
    if (dot + 1 == description.size() || description[dot + 1] == ' ' ||
        description[dot + 1] == '\r' || description[dot + 1] == '\n') {
      end = dot + 1;
      break;
    }
  }
  return std::string(description.substr(0, end));
}

std::chrono::seconds lifetime_of(nlohmann::json const& expires_in) {
  std::int64_t seconds = -1;
  if (expires_in.is_number_integer()) {
    seconds = expires_in.get<std::int64_t>();
  } else if (expires_in.is_number()) {
    seconds = static_cast<std::int64_t>(expires_in.get<double>());
  } else if (expires_in.is_string()) {
    // ADFS and older endpoints send it as a string.
    auto const text = expires_in.get<std::string>();
    auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc{} || end != text.data() + text.size()) {
      seconds = -1;
    }
  }
  return std::chrono::seconds{seconds};
}

} // namespace

ClientSecretCredential::ClientSecretCredential(std::string authority_host,
                                               std::string tenant_id,
                                               std::string client_id,
                                               std::string client_secret,
                                               std::shared_ptr<http::Transport> transport,
                                               std::shared_ptr<core::Clock> clock,
                                               http::RetryOptions retry)
    : m_authority_host(without_trailing_slash(std::move(authority_host))),
      m_tenant_id(std::move(tenant_id)),
      m_token_url(m_authority_host + "/" + http::percent_encode(m_tenant_id) +
                  "/oauth2/v2.0/token"),
      m_client_id(std::move(client_id)), m_client_secret(std::move(client_secret)), m_clock(clock) {
  http::PipelineOptions options;
  options.retry = std::move(retry);
  // No credential: the token request authenticates with its body.
  m_pipeline = http::make_pipeline(options, std::move(transport), nullptr, {}, std::move(clock));
}

std::string ClientSecretCredential::describe() const {
  return "client secret (AZURE_CLIENT_ID=" + m_client_id + ")";
}

AccessToken ClientSecretCredential::get_token(std::string const& scope) const {
  http::Request request;
  request.method = http::Method::Post;
  request.url = m_token_url;
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  request.headers.set("Accept", "application/json");
  request.body = "grant_type=client_credentials&client_id=" + http::percent_encode(m_client_id) +
                 "&client_secret=" + http::percent_encode(m_client_secret) +
                 "&scope=" + http::percent_encode(scope);

  http::Response response;
  try {
    response = m_pipeline->send(std::move(request));
  } catch (http::TransportError const& error) {
    throw http::TransportError(without_secret("cannot get a token from the authority " +
                                              m_authority_host + ": " + error.what()));
  }
  if (!response.ok()) {
    throw core::AuthenticationError(without_secret(rejection_message(response, scope)));
  }

  auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  auto const token = body.is_object() ? body.find("access_token") : body.end();
  if (!body.is_object() || token == body.end() || !token->is_string() ||
      token->get<std::string>().empty()) {
    throw core::AuthenticationError("the token endpoint " + m_token_url +
                                    " answered without an access_token; check that "
                                    "AZURE_AUTHORITY_HOST or the cloud points at Microsoft Entra");
  }
  auto const expires_in = body.find("expires_in");
  auto const lifetime =
      expires_in == body.end() ? std::chrono::seconds{-1} : lifetime_of(*expires_in);
  if (lifetime.count() < 0) {
    throw core::AuthenticationError("the token endpoint " + m_token_url +
                                    " answered without a valid expires_in; check that "
                                    "AZURE_AUTHORITY_HOST or the cloud points at Microsoft Entra");
  }
  return AccessToken{token->get<std::string>(), m_clock->wall_now() + lifetime};
}

std::string ClientSecretCredential::rejection_message(http::Response const& response,
                                                      std::string const& scope) const {
  auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  std::string description;
  std::string error;
  std::int64_t code = 0;
  if (body.is_object()) {
    description = body.value("error_description", std::string{});
    error = body.value("error", std::string{});
    code = aadsts_code(body, description);
  }
  std::string message = "Microsoft Entra (" + m_authority_host + ") refused a token for " +
                        describe() + " in tenant " + m_tenant_id + ": ";
  if (code != 0) {
    message += "AADSTS" + std::to_string(code) + " ";
  }
  if (!description.empty()) {
    message += first_sentence(description);
  } else if (!error.empty()) {
    message += error;
  } else {
    message += "HTTP " + std::to_string(response.status);
  }
  if (response.status >= 500) {
    return message + " The token service failed; try again later.";
  }
  auto hint = hint_for(code, scope);
  hint.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(hint.front())));
  return message + " " + hint + ".";
}

std::string ClientSecretCredential::without_secret(std::string text) const {
  // Defence in depth: a service or proxy could echo the request back.
  for (auto const& secret : {m_client_secret, http::percent_encode(m_client_secret)}) {
    if (secret.empty()) {
      continue;
    }
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "REDACTED");
    }
  }
  return text;
}

} // namespace wisetup::identity
