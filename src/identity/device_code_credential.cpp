// Device authorization grant (RFC 8628) against the Microsoft Entra v2.0 endpoints, reference §7.4.
// device_code and refresh_token are secrets as much as the access token: they are only ever sent
// in request bodies, which nothing logs.
#include "identity/entra_error.hpp"
#include "identity/token_endpoint.hpp"
#include "identity/token_expiry.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/device_code_credential.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdint>
#include <mutex>
#include <optional>

namespace wisetup::identity {
namespace {

constexpr char const* k_device_code_grant =
    "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";
/// RFC 8628 §3.5: without an interval the client waits 5 s, and slow_down adds 5 s.
constexpr std::chrono::seconds k_default_interval{5};
constexpr std::chrono::seconds k_slow_down_step{5};
/// Entra's default lifetime of a device code.
constexpr std::chrono::seconds k_default_lifetime{900};

std::string string_field(nlohmann::json const& body, char const* name) {
  if (!body.is_object()) {
    return {};
  }
  auto const found = body.find(name);
  return found != body.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

/// "12 seconds", "15 minutes".
std::string lifetime_text(std::chrono::seconds lifetime) {
  if (lifetime < std::chrono::seconds{120}) {
    return std::to_string(lifetime.count()) + " seconds";
  }
  return std::to_string((lifetime.count() + 59) / 60) + " minutes";
}

/// What to do about an AADSTS code when the sign-in cannot start, as the end of a sentence.
std::string hint_for(std::int64_t code) {
  switch (code) {
  case 700016:
    return "check the client id and the tenant: that application is not registered there";
  case 7000218:
    return "turn on \"Allow public client flows\" on the Authentication page of the app "
           "registration, or use another client id";
  case 90002:
  case 900023:
    return "check the tenant and the cloud (--cloud): no such tenant there";
  case 500011:
  case 70011:
    return "check the cloud (--cloud): the scope is not known in this tenant";
  default:
    return "check the client id, the tenant and the cloud (--cloud)";
  }
}

} // namespace

struct DeviceCodeCredential::Impl {
  std::string authority_host;
  std::string tenant_id;
  std::string client_id;
  std::string devicecode_url;
  std::string token_url;
  DeviceCodePrompt prompt;
  std::shared_ptr<core::Clock> clock;
  std::shared_ptr<http::Pipeline> pipeline;
  /// One interactive sign-in at a time; guards refresh_token too.
  mutable std::mutex mutex;
  /// From the last sign-in (offline_access); memory only.
  mutable std::string refresh_token;

  [[nodiscard]] http::Response post(std::string const& url, std::string body) const {
    try {
      return pipeline->send(detail::form_post(url, std::move(body)));
    } catch (http::TransportError const& error) {
      throw http::TransportError("cannot reach the authority " + authority_host +
                                 " for a device code sign-in: " + error.what());
    }
  }

  /// "Microsoft Entra (<host>) refused <what> for client id X in tenant T: AADSTSn <sentence>."
  [[nodiscard]] std::string refusal(std::string const& what, http::Response const& response) const {
    auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    auto const description = string_field(body, "error_description");
    auto const error = string_field(body, "error");
    auto const code = detail::aadsts_code(body, description);
    std::string message = "Microsoft Entra (" + authority_host + ") refused " + what +
                          " for client id " + client_id + " in tenant " + tenant_id + ": ";
    if (code != 0) {
      message += "AADSTS" + std::to_string(code) + " ";
    }
    if (!description.empty()) {
      message += detail::first_sentence(description);
    } else if (!error.empty()) {
      message += error;
    } else {
      message += "HTTP " + std::to_string(response.status);
    }
    if (!message.ends_with('.')) {
      message += '.';
    }
    if (response.status >= 500) {
      return message + " The service failed; try again later.";
    }
    return message + " To fix it, " + hint_for(code) + ".";
  }

  /// The access token of a successful token response; keeps its refresh token for later scopes.
  [[nodiscard]] http::AccessToken token_from(http::Response const& response) const {
    auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    auto const token = string_field(body, "access_token");
    std::optional<std::chrono::seconds> lifetime;
    if (body.is_object() && body.contains("expires_in")) {
      lifetime = detail::json_seconds(body["expires_in"]);
    }
    if (token.empty() || !lifetime) {
      throw core::AuthenticationError("the token endpoint " + token_url +
                                      " answered without an access_token and expires_in; check "
                                      "that AZURE_AUTHORITY_HOST or the cloud points at Microsoft "
                                      "Entra");
    }
    if (auto refreshed = string_field(body, "refresh_token"); !refreshed.empty()) {
      refresh_token = std::move(refreshed);
    }
    return http::AccessToken{token, clock->wall_now() + *lifetime};
  }

  /// A token for `scope` from the refresh token of an earlier sign-in, or nullopt when there is
  /// none or Entra does not accept it for this scope (consent, MFA): then the user signs in again.
  [[nodiscard]] std::optional<http::AccessToken> redeem(std::string const& scope) const {
    if (refresh_token.empty()) {
      return std::nullopt;
    }
    auto const response =
        post(token_url,
             "grant_type=refresh_token&client_id=" + http::percent_encode(client_id) +
                 "&refresh_token=" + http::percent_encode(refresh_token) +
                 "&scope=" + http::percent_encode(scope + " offline_access"));
    if (!response.ok()) {
      auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
      spdlog::debug("the refresh token was not accepted for {} (HTTP {} {}); signing in again",
                    scope,
                    response.status,
                    string_field(body, "error"));
      refresh_token.clear();
      return std::nullopt;
    }
    return token_from(response);
  }

  [[nodiscard]] http::AccessToken sign_in(std::string const& scope) const {
    auto const started = post(devicecode_url,
                              "client_id=" + http::percent_encode(client_id) +
                                  "&scope=" + http::percent_encode(scope + " offline_access"));
    if (!started.ok()) {
      throw core::AuthenticationError(refusal("to start a device code sign-in", started));
    }
    auto const body = nlohmann::json::parse(started.body, nullptr, /*allow_exceptions=*/false);
    auto const device_code = string_field(body, "device_code");
    if (device_code.empty()) {
      throw core::AuthenticationError("the device code endpoint " + devicecode_url +
                                      " answered without a device_code; check that "
                                      "AZURE_AUTHORITY_HOST or the cloud points at Microsoft "
                                      "Entra");
    }
    auto interval = k_default_interval;
    auto lifetime = k_default_lifetime;
    if (body.contains("interval")) {
      interval = std::max(detail::json_seconds(body["interval"]).value_or(interval),
                          std::chrono::seconds{1});
    }
    if (body.contains("expires_in")) {
      lifetime = detail::json_seconds(body["expires_in"]).value_or(lifetime);
    }
    auto message = string_field(body, "message");
    if (message.empty()) {
      message = "To sign in, use a web browser to open the page " +
                string_field(body, "verification_uri") + " and enter the code " +
                string_field(body, "user_code") + " to authenticate.";
    }
    if (prompt) {
      prompt(message);
    } else {
      spdlog::warn("{}", message);
    }

    auto const deadline = clock->now() + lifetime;
    std::string const poll_body = std::string("grant_type=") + k_device_code_grant +
                                  "&client_id=" + http::percent_encode(client_id) +
                                  "&device_code=" + http::percent_encode(device_code);
    auto const lifetime_words = lifetime_text(lifetime);
    for (;;) {
      if (clock->now() + interval > deadline) {
        throw core::AuthenticationError("nobody completed the device code sign-in within " +
                                        lifetime_words +
                                        "; run wi-setup again and enter the code in time");
      }
      clock->sleep_for(interval);
      auto const response = post(token_url, poll_body);
      if (response.ok()) {
        return token_from(response);
      }
      auto const answer = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
      auto const error = string_field(answer, "error");
      if (error == "authorization_pending") {
        continue;
      }
      if (error == "slow_down") {
        interval += k_slow_down_step;
        continue;
      }
      if (error == "expired_token") {
        throw core::AuthenticationError(
            "the device code expired before the sign-in was completed; run wi-setup again and "
            "enter the code within " +
            lifetime_words);
      }
      if (error == "authorization_declined") {
        throw core::AuthenticationError("the device code sign-in was declined in the browser; run "
                                        "wi-setup again and accept it, or choose another --auth");
      }
      if (error == "bad_verification_code") {
        throw core::AuthenticationError("Microsoft Entra did not recognise the device code; run "
                                        "wi-setup again to get a new one");
      }
      throw core::AuthenticationError(refusal("the device code sign-in", response));
    }
  }
};

DeviceCodeCredential::DeviceCodeCredential(std::string authority_host,
                                           std::string tenant_id,
                                           std::string client_id,
                                           DeviceCodePrompt prompt,
                                           std::shared_ptr<http::Transport> transport,
                                           std::shared_ptr<core::Clock> clock,
                                           http::RetryOptions retry) {
  auto impl = std::make_shared<Impl>();
  impl->authority_host = core::without_trailing_slash(std::move(authority_host));
  impl->tenant_id = tenant_id.empty() ? "organizations" : std::move(tenant_id);
  impl->client_id = std::move(client_id);
  auto const base = impl->authority_host + "/" + http::percent_encode(impl->tenant_id);
  impl->devicecode_url = base + "/oauth2/v2.0/devicecode";
  impl->token_url = base + "/oauth2/v2.0/token";
  impl->prompt = std::move(prompt);
  impl->clock = clock;
  http::PipelineOptions options;
  options.retry = std::move(retry);
  // No credential: these requests authenticate with their bodies.
  impl->pipeline =
      http::make_pipeline(options, std::move(transport), nullptr, {}, std::move(clock));
  m_impl = std::move(impl);
}

std::string DeviceCodeCredential::describe() const {
  return "device code sign-in (client id " + m_impl->client_id + ", tenant " + m_impl->tenant_id +
         ")";
}

http::AccessToken DeviceCodeCredential::get_token(std::string const& scope) const {
  std::lock_guard const lock{m_impl->mutex};
  if (auto token = m_impl->redeem(scope)) {
    return *token;
  }
  return m_impl->sign_in(scope);
}

} // namespace wisetup::identity
