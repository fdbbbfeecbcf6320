// Client credentials grant (Microsoft Entra v2.0 token endpoint):
// POST <authority>/<tenant>/oauth2/v2.0/token, application/x-www-form-urlencoded.
#include "identity/token_endpoint.hpp"

#include "identity/entra_error.hpp"
#include "identity/token_expiry.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/url.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <charconv>
#include <string_view>

namespace wisetup::identity::detail {
namespace {

/// The fixes every Entra credential shares, as the end of a sentence; empty when the code has
/// none.
std::string shared_hint(std::int64_t code, std::string const& scope) {
  switch (code) {
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
    return {};
  }
}

} // namespace

std::string token_url(std::string const& authority_host, std::string const& tenant_id) {
  return core::without_trailing_slash(authority_host) + "/" + http::percent_encode(tenant_id) +
         "/oauth2/v2.0/token";
}

std::string without_secrets(std::string text, std::vector<std::string> const& secrets) {
  for (auto const& secret : secrets) {
    for (auto const& form : {secret, http::percent_encode(secret)}) {
      if (form.empty()) {
        continue;
      }
      // Search on after the placeholder: a secret that occurs in "REDACTED" ("A") would otherwise
      // be found in it again, forever.
      constexpr auto k_placeholder = std::string_view(http::k_redacted);
      for (auto at = text.find(form); at != std::string::npos;
           at = text.find(form, at + k_placeholder.size())) {
        text.replace(at, form.size(), k_placeholder);
      }
    }
  }
  return text;
}

TokenEndpoint::TokenEndpoint(std::string authority_host,
                             std::string tenant_id,
                             std::shared_ptr<http::Transport> transport,
                             std::shared_ptr<core::Clock> clock,
                             http::RetryOptions retry)
    : m_authority_host(core::without_trailing_slash(std::move(authority_host))),
      m_tenant_id(std::move(tenant_id)), m_url(token_url(m_authority_host, m_tenant_id)),
      m_clock(clock) {
  // Secrets and assertions travel in the body: never over plain http, whoever built us.
  if (!core::is_https_url(m_url)) {
    throw core::InvalidInput(
        "the authority " + m_authority_host +
        " is not an https:// URL; Microsoft Entra is only reached over https "
        "(check AZURE_AUTHORITY_HOST or the cloud's activeDirectory endpoint)");
  }
  http::PipelineOptions options;
  options.retry = std::move(retry);
  // No credential: the token request authenticates with its body.
  m_pipeline = http::make_pipeline(options, std::move(transport), nullptr, {}, std::move(clock));
}

http::AccessToken
TokenEndpoint::request(std::string form, std::string const& scope, Refusal const& refusal) const {
  auto const response = post(std::move(form), refusal.secrets);
  if (!response.ok()) {
    throw_refusal(response, scope, refusal);
  }
  return token_from(response);
}

http::Request form_post(std::string url, std::string form) {
  http::Request request;
  request.method = http::Method::Post;
  request.url = std::move(url);
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  request.headers.set("Accept", "application/json");
  request.body = std::move(form);
  return request;
}

http::Response TokenEndpoint::post(std::string form,
                                   std::vector<std::string> const& secrets) const {
  try {
    return m_pipeline->send(form_post(m_url, std::move(form)));
  } catch (http::TransportError const& error) {
    throw http::TransportError(without_secrets("cannot get a token from the authority " +
                                                   m_authority_host + ": " + error.what(),
                                               secrets));
  }
}

void TokenEndpoint::throw_refusal(http::Response const& response,
                                  std::string const& scope,
                                  Refusal const& refusal) const {
  throw core::AuthenticationError(
      without_secrets(rejection_message(response, scope, refusal), refusal.secrets));
}

http::AccessToken TokenEndpoint::token_from(http::Response const& response) const {
  auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  auto const token = body.is_object() ? body.find("access_token") : body.end();
  if (!body.is_object() || token == body.end() || !token->is_string() ||
      token->get<std::string>().empty()) {
    throw core::AuthenticationError("the token endpoint " + m_url +
                                    " answered without an access_token; check that "
                                    "AZURE_AUTHORITY_HOST or the cloud points at Microsoft Entra");
  }
  auto const expires_in = body.find("expires_in");
  auto const lifetime = expires_in == body.end()
                            ? std::chrono::seconds{-1}
                            : detail::json_seconds(*expires_in).value_or(std::chrono::seconds{-1});
  if (lifetime.count() < 0) {
    throw core::AuthenticationError("the token endpoint " + m_url +
                                    " answered without a valid expires_in; check that "
                                    "AZURE_AUTHORITY_HOST or the cloud points at Microsoft Entra");
  }
  return http::AccessToken{token->get<std::string>(), m_clock->wall_now() + lifetime};
}

std::string TokenEndpoint::rejection_message(http::Response const& response,
                                             std::string const& scope,
                                             Refusal const& refusal) const {
  auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  std::string description;
  std::string error;
  std::int64_t code = 0;
  if (body.is_object()) {
    auto const text = [&](char const* name) {
      auto const found = body.find(name);
      return found != body.end() && found->is_string() ? found->get<std::string>() : std::string{};
    };
    description = text("error_description");
    error = text("error");
    code = aadsts_code(body, description);
  }
  std::string message = "Microsoft Entra (" + m_authority_host + ") refused a token for " +
                        refusal.who + " in tenant " + m_tenant_id + ": ";
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
  std::string hint = refusal.hint ? refusal.hint(code) : std::string{};
  if (hint.empty()) {
    hint = shared_hint(code, scope);
  }
  if (hint.empty()) {
    hint = refusal.fallback_hint;
  }
  if (hint.empty()) {
    return message;
  }
  hint.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(hint.front())));
  return message + " " + hint + ".";
}

} // namespace wisetup::identity::detail
