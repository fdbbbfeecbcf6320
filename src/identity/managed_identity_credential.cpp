// Managed identity: the machine's own token endpoint. IMDS (VMs, scale sets, AKS nodes) or the
// App Service flavour (IDENTITY_ENDPOINT + IDENTITY_HEADER); reference §8.1 and §8.2.
#include "identity/token_expiry.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/credential_unavailable.hpp>
#include <wisetup/identity/managed_identity_credential.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <string_view>
#include <utility>

namespace wisetup::identity {
namespace {

constexpr std::string_view k_default_imds_host = "http://169.254.169.254";
constexpr std::string_view k_imds_path = "/metadata/identity/oauth2/token";
constexpr std::string_view k_imds_api_version = "2018-02-01";
constexpr std::string_view k_app_service_api_version = "2019-08-01";
/// Long enough for any sentence a service writes, short enough to keep a message readable.
constexpr std::size_t k_max_service_text = 300;

/// The v1 resource that managed identity endpoints take: the scope without "/.default".
std::string resource_of(std::string const& scope) {
  constexpr std::string_view k_suffix = "/.default";
  if (scope.size() > k_suffix.size() && scope.ends_with(k_suffix)) {
    return scope.substr(0, scope.size() - k_suffix.size());
  }
  return scope;
}

/// Sends the first request through the probe transport (short timeout) and every later one
/// through the normal transport. A probe that gets no answer means there is no endpoint here.
class ProbingTransport final : public http::Transport {
public:
  /// `in_chain`: part of the default chain, where a first answer that no managed identity
  /// endpoint would give (a proxy's 403, 404 or 407, an HTML page) also means there is none.
  ProbingTransport(std::shared_ptr<http::Transport> transport,
                   std::shared_ptr<http::Transport> probe,
                   std::string unavailable_message,
                   bool in_chain)
      : m_transport(std::move(transport)), m_probe(std::move(probe)),
        m_unavailable_message(std::move(unavailable_message)), m_in_chain(in_chain) {}

  [[nodiscard]] http::Response send(http::Request const& request) override {
    if (m_state.load() == State::Answered) {
      return m_transport->send(request);
    }
    try {
      auto response = m_probe->send(request);
      if (m_in_chain && m_state.load() == State::Unprobed && !from_an_identity_endpoint(response)) {
        m_state.store(State::Silent);
        throw CredentialUnavailable(m_unavailable_message + " (it answered " +
                                    std::to_string(response.status) +
                                    " with a body that is not a managed identity endpoint's, "
                                    "as a proxy or another server would)");
      }
      m_state.store(State::Answered);
      return response;
    } catch (http::TransportError const& error) {
      if (m_state.load() == State::Answered) {
        throw; // another call reached the endpoint meanwhile: this is a real network failure
      }
      m_state.store(State::Silent);
      spdlog::debug("managed identity probe: {}", error.what());
      // Not a TransportError, so that the retry policy gives up at once.
      throw CredentialUnavailable(m_unavailable_message + " (" + error.what() + ")");
    }
  }

  [[nodiscard]] bool silent() const { return m_state.load() == State::Silent; }
  [[nodiscard]] std::string const& unavailable_message() const { return m_unavailable_message; }

private:
  enum class State { Unprobed, Answered, Silent };

  /// IMDS and the App Service endpoint answer JSON objects, errors included; a proxy asking for
  /// authentication (407) is never one of them.
  static bool from_an_identity_endpoint(http::Response const& response) {
    if (response.status == 407) {
      return false;
    }
    auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    return body.is_object();
  }

  std::shared_ptr<http::Transport> m_transport;
  std::shared_ptr<http::Transport> m_probe;
  std::string m_unavailable_message;
  bool m_in_chain;
  std::atomic<State> m_state{State::Unprobed};
};

/// The query parameter naming the selected identity and its value; empty for system-assigned.
std::pair<std::string, std::string> selector_parameter(ManagedIdentitySelector const& selector,
                                                       bool app_service) {
  if (!selector.client_id.empty()) {
    return {"client_id", selector.client_id};
  }
  if (!selector.object_id.empty()) {
    return {app_service ? "principal_id" : "object_id", selector.object_id};
  }
  if (!selector.resource_id.empty()) {
    return {app_service ? "mi_res_id" : "msi_res_id", selector.resource_id};
  }
  return {};
}

/// The service's own words: IMDS sends {"error","error_description"}, App Service {"message"} or
/// {"error":{"code","message"}}. First line only, bounded.
std::string service_text(nlohmann::json const& body) {
  std::string text;
  if (body.is_object()) {
    auto const error = body.find("error");
    if (body.contains("error_description") && body["error_description"].is_string()) {
      text = body["error_description"].get<std::string>();
    } else if (body.contains("message") && body["message"].is_string()) {
      text = body["message"].get<std::string>();
    } else if (error != body.end() && error->is_object() && error->contains("message") &&
               (*error)["message"].is_string()) {
      text = (*error)["message"].get<std::string>();
    } else if (error != body.end() && error->is_string()) {
      text = error->get<std::string>();
    }
  }
  text = text.substr(0, text.find_first_of("\r\n"));
  if (text.size() > k_max_service_text) {
    text = text.substr(0, k_max_service_text) + "...";
  }
  return text;
}

/// The service's error code, for classification: IMDS "error", App Service "error.code".
std::string service_code(nlohmann::json const& body) {
  if (!body.is_object()) {
    return {};
  }
  auto const error = body.find("error");
  if (error == body.end()) {
    return {};
  }
  if (error->is_string()) {
    return error->get<std::string>();
  }
  if (error->is_object() && error->contains("code") && (*error)["code"].is_string()) {
    return (*error)["code"].get<std::string>();
  }
  return {};
}

bool retried_status(http::RetryOptions const& retry, int status) {
  return retry.max_retries > 0 && retry.status_codes.contains(status);
}

} // namespace

http::RetryOptions managed_identity_retry_options() {
  http::RetryOptions options;
  // With the retry policy's jitter (x0.8 to x1.3) a 1.5 s base waits at least 1.2 s before the
  // first retry (IMDS asks for >= 1 s after a 5xx) and six retries wait at least 75 s in all,
  // beyond the 70 s an updating IMDS may answer 410.
  options.max_retries = 6;
  options.base_delay = std::chrono::milliseconds{1500};
  options.max_delay = std::chrono::seconds{60};
  options.status_codes = {404, 410, 429};
  for (int status = 500; status < 600; ++status) {
    options.status_codes.insert(status);
  }
  return options;
}

struct ManagedIdentityCredential::Impl {
  ManagedIdentitySelector selector;
  bool app_service = false;
  std::string endpoint;        ///< URL of the token endpoint, possibly with a query of its own
  std::string where;           ///< the endpoint as messages show it (no query)
  std::string identity_header; ///< App Service only; a secret
  std::string variable; ///< the variable that set the endpoint; empty for the default IMDS host
  std::string configuration_error;
  http::RetryOptions retry;
  std::shared_ptr<core::Clock> clock;
  std::shared_ptr<ProbingTransport> probing;
  std::shared_ptr<http::Pipeline> pipeline;

  [[nodiscard]] std::string selector_text() const {
    auto const [name, value] = selector_parameter(selector, app_service);
    return name.empty() ? "system-assigned" : name + " " + value;
  }

  [[nodiscard]] std::string url_for(std::string const& resource) const {
    std::string url = endpoint;
    url += endpoint.find('?') == std::string::npos ? '?' : '&';
    if (app_service) {
      url += "resource=" + http::percent_encode(resource) +
             "&api-version=" + std::string(k_app_service_api_version);
    } else {
      url += "api-version=" + std::string(k_imds_api_version) +
             "&resource=" + http::percent_encode(resource);
    }
    auto const [name, value] = selector_parameter(selector, app_service);
    if (!name.empty()) {
      url += "&" + name + "=" + http::percent_encode(value);
    }
    return url;
  }

  /// The end of a sentence about an answer that is not a managed identity token.
  [[nodiscard]] std::string not_a_token_hint() const {
    return variable.empty() ? "something other than IMDS answers at that address"
                            : "check that " + variable + " names a managed identity endpoint";
  }

  /// Defence in depth: an endpoint or proxy could echo the request back.
  [[nodiscard]] std::string without_header_secret(std::string text) const {
    if (identity_header.empty()) {
      return text;
    }
    for (auto at = text.find(identity_header); at != std::string::npos;
         at = text.find(identity_header, at)) {
      text.replace(at, identity_header.size(), http::k_redacted);
    }
    return text;
  }

  [[nodiscard]] std::string refusal(http::Response const& response,
                                    std::string const& resource) const {
    auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    auto const text = service_text(body);
    auto const said = text.empty() ? std::string{} : " (" + text + ")";
    std::string const prefix = "the managed identity endpoint at " + where;
    if (response.status == 400 && service_code(body) == "invalid_resource") {
      return prefix + " does not issue tokens for " + resource + said +
             "; check the cloud (--cloud) and the endpoints it names.";
    }
    if (response.status == 400) {
      auto const [name, value] = selector_parameter(selector, app_service);
      if (name.empty()) {
        return prefix + " found no system-assigned identity on this machine" + said +
               "; enable the system-assigned identity of this VM, scale set or node pool, or "
               "select a user-assigned identity by its client id.";
      }
      return prefix + " found no user-assigned identity with " + name + " " + value +
             " on this machine" + said +
             "; check the id and that the identity is assigned to this VM, scale set or node "
             "pool.";
    }
    if (retried_status(retry, response.status)) {
      return prefix + " still answered HTTP " + std::to_string(response.status) + said + " after " +
             std::to_string(retry.max_retries) +
             " retries; the endpoint is busy or updating, try again in a few minutes.";
    }
    return prefix + " refused a token for " + resource + " (" + selector_text() + "): HTTP " +
           std::to_string(response.status) + said +
           "; check that this machine's managed identity may be used here.";
  }
};

ManagedIdentityCredential::ManagedIdentityCredential(
    core::Environment const& environment,
    ManagedIdentitySelector selector,
    std::shared_ptr<http::Transport> transport,
    std::shared_ptr<http::Transport> probe_transport,
    std::shared_ptr<core::Clock> clock,
    http::RetryOptions retry) {
  auto impl = std::make_shared<Impl>();
  impl->selector = std::move(selector);
  impl->retry = retry;
  impl->clock = clock;

  auto const identity_endpoint = environment.get("IDENTITY_ENDPOINT");
  auto const identity_header = environment.get("IDENTITY_HEADER");
  auto& variable = impl->variable;
  if (identity_endpoint && identity_header) {
    impl->app_service = true;
    impl->endpoint = *identity_endpoint;
    impl->identity_header = *identity_header;
    variable = "IDENTITY_ENDPOINT";
  } else {
    auto const host = environment.get("AZURE_POD_IDENTITY_AUTHORITY_HOST");
    impl->endpoint = core::without_trailing_slash(host.value_or(std::string(k_default_imds_host))) +
                     std::string(k_imds_path);
    variable = host ? "AZURE_POD_IDENTITY_AUTHORITY_HOST" : "";
  }
  try {
    auto const url = http::parse_url(impl->endpoint);
    impl->where = url.origin();
    bool const local = url.host == "127.0.0.1" || url.host == "localhost" || url.host == "[::1]" ||
                       url.host == "::1" || url.host == "169.254.169.254";
    if (impl->app_service && url.scheme != "https" && !local) {
      // The endpoint's secret header must not cross a network in clear text.
      impl->configuration_error = "IDENTITY_ENDPOINT " + impl->where +
                                  " is plain http on another machine; managed identity "
                                  "endpoints are local (http://127.0.0.1:...) or https";
    }
  } catch (core::InvalidInput const&) {
    impl->where = variable;
    impl->configuration_error =
        variable + " is not an http:// or https:// URL; set it to the managed identity "
                   "endpoint (for example http://127.0.0.1:8081) or unset it";
  }
  int const selectors = static_cast<int>(!impl->selector.client_id.empty()) +
                        static_cast<int>(!impl->selector.object_id.empty()) +
                        static_cast<int>(!impl->selector.resource_id.empty());
  if (selectors > 1 && impl->configuration_error.empty()) {
    impl->configuration_error =
        "a managed identity is selected by one of client id, object id or resource id, and "
        "more than one was given; give only one";
  }

  std::string const kind = impl->app_service ? "App Service managed identity endpoint"
                                             : "managed identity endpoint (IMDS)";
  impl->probing = std::make_shared<ProbingTransport>(
      std::move(transport),
      std::move(probe_transport),
      "Managed identity: no " + kind + " answered at " + impl->where +
          "; this is not an Azure VM, scale set, AKS node or App Service, or the endpoint is "
          "blocked",
      impl->selector.in_default_chain);
  http::PipelineOptions options;
  options.retry = std::move(retry);
  // No credential: the managed identity endpoint authenticates the machine itself.
  impl->pipeline = http::make_pipeline(options, impl->probing, nullptr, {}, std::move(clock));
  m_impl = std::move(impl);
}

std::string ManagedIdentityCredential::describe() const {
  return "managed identity (" + std::string(m_impl->app_service ? "App Service endpoint" : "IMDS") +
         " at " + m_impl->where + ", " + m_impl->selector_text() + ")";
}

http::AccessToken ManagedIdentityCredential::get_token(std::string const& scope) const {
  auto const& impl = *m_impl;
  if (!impl.configuration_error.empty()) {
    throw core::InvalidInput(impl.configuration_error);
  }
  if (impl.probing->silent()) {
    // Asked once already: waiting for the probe's timeout again would only slow the chain.
    throw CredentialUnavailable(impl.probing->unavailable_message());
  }
  auto const resource = resource_of(scope);
  http::Request request;
  request.method = http::Method::Get;
  request.url = impl.url_for(resource);
  if (impl.app_service) {
    request.headers.set("X-IDENTITY-HEADER", impl.identity_header);
  } else {
    request.headers.set("Metadata", "true");
  }
  request.headers.set("Accept", "application/json");

  http::Response response;
  try {
    response = impl.pipeline->send(std::move(request));
  } catch (http::TransportError const& error) {
    throw http::TransportError(
        impl.without_header_secret("the managed identity endpoint at " + impl.where +
                                   " answered before but cannot be reached now: " + error.what()));
  }
  if (!response.ok()) {
    throw core::AuthenticationError(impl.without_header_secret(impl.refusal(response, resource)));
  }

  auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  auto const token = body.is_object() ? body.find("access_token") : body.end();
  if (!body.is_object() || token == body.end() || !token->is_string() ||
      token->get<std::string>().empty()) {
    throw core::AuthenticationError("the managed identity endpoint at " + impl.where +
                                    " answered without an access_token; " +
                                    impl.not_a_token_hint());
  }
  std::optional<std::chrono::system_clock::time_point> expires_on;
  if (auto const on = body.find("expires_on"); on != body.end()) {
    expires_on = detail::json_epoch(*on);
  }
  if (auto const in = body.find("expires_in"); !expires_on && in != body.end()) {
    if (auto const lifetime = detail::json_seconds(*in)) {
      expires_on = impl.clock->wall_now() + *lifetime;
    }
  }
  if (!expires_on) {
    throw core::AuthenticationError("the managed identity endpoint at " + impl.where +
                                    " answered without a valid expires_on or expires_in; " +
                                    impl.not_a_token_hint());
  }
  return http::AccessToken{token->get<std::string>(), *expires_on};
}

} // namespace wisetup::identity
