#include "sim/token_service.hpp"

#include "sim/encoding.hpp"
#include "sim/http_answers.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

#include <cmath>
#include <optional>
#include <regex>

namespace wisetup::sim {
namespace {

// The AKS server application: tokens for it authenticate to Entra-integrated clusters.
constexpr char const* k_aks_server_app_id = "6dae42f8-4368-4678-94ff-3960e28e3630";

std::regex const& token_path() {
  static std::regex const k_pattern{R"(^/([^/]+)/oauth2/(v2\.0/)?token$)", std::regex::icase};
  return k_pattern;
}

std::regex const& discovery_path() {
  static std::regex const k_pattern{R"(^/([^/]+)/(v2\.0/)?\.well-known/openid-configuration$)",
                                    std::regex::icase};
  return k_pattern;
}

struct EntraError {
  int status;
  std::string error;
  int code;
  std::string description;
};

void send_entra_error(httplib::Response& response, EntraError const& failure) {
  std::string const trace_id = new_guid();
  std::string const correlation_id = new_guid();
  std::string const timestamp = utc_seconds(std::chrono::system_clock::now());
  nlohmann::json const body = {
      {"error", failure.error},
      {"error_description",
       "AADSTS" + std::to_string(failure.code) + ": " + failure.description + " Trace ID: " +
           trace_id + " Correlation ID: " + correlation_id + " Timestamp: " + timestamp},
      {"error_codes", {failure.code}},
      {"timestamp", timestamp},
      {"trace_id", trace_id},
      {"correlation_id", correlation_id},
      {"error_uri",
       "https://login.microsoftonline.com/error?code=" + std::to_string(failure.code)}};
  send_json(response, failure.status, body);
}

// The audience of tokens for `resource` (a v1 resource or a v2 scope without "/.default"), if
// the simulator issues tokens for it: ARM (both identifiers), Graph and the AKS server app.
std::optional<std::string> known_resource(std::string const& resource) {
  static std::vector<std::string> const k_resources{"https://management.core.windows.net/",
                                                    "https://management.azure.com/",
                                                    "https://graph.microsoft.com/"};
  for (auto const& known : k_resources) {
    if (iequals(resource, known) || iequals(resource + "/", known)) {
      return known;
    }
  }
  if (iequals(resource, k_aks_server_app_id) ||
      iequals(resource, std::string("api://") + k_aks_server_app_id)) {
    return std::string(k_aks_server_app_id);
  }
  return std::nullopt;
}

std::optional<std::string> form_value(std::vector<std::pair<std::string, std::string>> const& form,
                                      std::string const& name) {
  for (auto const& [key, value] : form) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

std::string missing_parameter(std::string const& name) {
  return "The request body must contain the following parameter: '" + name + "'.";
}

// Resolves the resource of a v2 `scope` (one "<resource>/.default") or a v1 `resource`.
std::string requested_resource(std::vector<std::pair<std::string, std::string>> const& form,
                               bool v2,
                               std::string const& tenant_id) {
  if (!v2) {
    auto const resource = form_value(form, "resource");
    if (!resource || resource->empty()) {
      throw EntraError{400, "invalid_request", 900144, missing_parameter("resource")};
    }
    if (auto const known = known_resource(*resource)) {
      return *known;
    }
    throw EntraError{400,
                     "invalid_resource",
                     500011,
                     "The resource principal named " + *resource +
                         " was not found in the tenant named " + tenant_id +
                         ". This can happen if the application has not been installed by the "
                         "administrator of the tenant or consented to by any user in the tenant. "
                         "You might have sent your authentication request to the wrong tenant."};
  }
  auto const scope = form_value(form, "scope");
  if (!scope || scope->empty()) {
    throw EntraError{400,
                     "invalid_scope",
                     70011,
                     "The provided request must include a 'scope' input parameter."};
  }
  std::vector<std::string> resources;
  std::size_t start = 0;
  while (start <= scope->size()) {
    std::size_t const end = std::min(scope->find(' ', start), scope->size());
    std::string const item = scope->substr(start, end - start);
    start = end + 1;
    if (item.empty() || item == "openid" || item == "profile" || item == "offline_access") {
      continue;
    }
    resources.push_back(item);
  }
  static std::string const k_default_suffix = "/.default";
  if (resources.size() != 1 || !iends_with(resources[0], k_default_suffix)) {
    throw EntraError{400,
                     "invalid_scope",
                     70011,
                     "The provided value for the input parameter 'scope' is not valid. The scope " +
                         *scope +
                         " is not valid. The client credentials flow needs exactly one scope of "
                         "the form <resource>/.default."};
  }
  // Azure CLI asks for "https://management.core.windows.net//.default": keep the inner slash.
  std::string const resource =
      resources[0].substr(0, resources[0].size() - k_default_suffix.size());
  if (auto const known = known_resource(resource)) {
    return *known;
  }
  throw EntraError{400,
                   "invalid_resource",
                   500011,
                   "The resource principal named " + resource +
                       " was not found in the tenant named " + tenant_id +
                       ". This can happen if the application has not been installed by the "
                       "administrator of the tenant or consented to by any user in the tenant. "
                       "You might have sent your authentication request to the wrong tenant."};
}

void issue_token(SimulatorContext& context,
                 httplib::Request const& request,
                 httplib::Response& response,
                 std::string const& tenant,
                 bool v2) {
  std::unique_lock lock{context.mutex};
  State const& state = context.state;
  if (!iequals(tenant, state.tenant_id) && !iequals(tenant, "adfs")) {
    throw EntraError{400,
                     "invalid_request",
                     90002,
                     "Tenant '" + tenant +
                         "' not found. Check to make sure you have the correct tenant ID and are "
                         "signing into the correct cloud."};
  }
  auto const form = parse_form(request.body);
  auto const grant_type = form_value(form, "grant_type");
  if (!grant_type || grant_type->empty()) {
    throw EntraError{400, "invalid_request", 900144, missing_parameter("grant_type")};
  }
  if (*grant_type != "client_credentials") {
    throw EntraError{400,
                     "unsupported_grant_type",
                     70003,
                     "The app requested an unsupported grant type '" + *grant_type +
                         "'. The simulator supports client_credentials with a client secret."};
  }
  auto const client_id = form_value(form, "client_id");
  if (!client_id || client_id->empty()) {
    throw EntraError{400, "invalid_request", 900144, missing_parameter("client_id")};
  }
  ServicePrincipal const* principal = state.principal_by_client_id(*client_id);
  if (principal == nullptr) {
    throw EntraError{400,
                     "unauthorized_client",
                     700016,
                     "Application with identifier '" + *client_id +
                         "' was not found in the directory '" + state.tenant_id +
                         "'. This can happen if the application has not been installed by the "
                         "administrator of the tenant or consented to by any user in the tenant. "
                         "You may have sent your authentication request to the wrong tenant."};
  }
  auto const secret = form_value(form, "client_secret");
  if (form_value(form, "client_assertion")) {
    throw EntraError{401,
                     "invalid_client",
                     700027,
                     "Client assertion failed signature validation: the simulator accepts client "
                     "secrets only."};
  }
  if (!secret || secret->empty()) {
    throw EntraError{401,
                     "invalid_client",
                     7000218,
                     "The request body must contain the following parameter: 'client_assertion' "
                     "or 'client_secret'."};
  }
  if (principal->client_secret.empty() || *secret != principal->client_secret) {
    throw EntraError{401,
                     "invalid_client",
                     7000215,
                     "Invalid client secret provided. Ensure the secret being sent in the request "
                     "is the client secret value, not the client secret ID, for a secret added to "
                     "app '" +
                         principal->client_id + "'."};
  }
  std::string const resource = requested_resource(form, v2, state.tenant_id);
  auto const lifetime = context.options.token_lifetime;
  IssuedToken const token{
      principal->object_id,
      principal->client_id,
      state.tenant_id,
      resource,
      std::chrono::system_clock::now() +
          std::chrono::duration_cast<std::chrono::system_clock::duration>(lifetime)};
  std::string const issuer = context.base_url + "/" + state.tenant_id + "/";
  lock.unlock();
  auto const seconds = static_cast<long long>(std::ceil(lifetime.count()));
  nlohmann::json body = {{"token_type", "Bearer"},
                         {"expires_in", seconds},
                         {"ext_expires_in", seconds},
                         {"access_token", context.tokens.issue(token, issuer)}};
  if (!v2) {
    body["expires_on"] = std::to_string(unix_seconds(token.expires_at));
    body["resource"] = resource;
  }
  response.set_header("Cache-Control", "no-store, no-cache");
  send_json(response, 200, body);
}

void discovery(SimulatorContext& context, httplib::Response& response, std::string const& tenant) {
  std::string tenant_id;
  {
    std::lock_guard lock{context.mutex};
    tenant_id = context.state.tenant_id;
  }
  bool const adfs = iequals(tenant, "adfs");
  if (!adfs && !iequals(tenant, tenant_id)) {
    send_entra_error(response,
                     {400,
                      "invalid_tenant",
                      90002,
                      "Tenant '" + tenant +
                          "' not found. Check to make sure you have the correct "
                          "tenant ID and are signing into the correct cloud."});
    return;
  }
  std::string const authority = context.base_url + "/" + (adfs ? "adfs" : tenant_id);
  send_json(response,
            200,
            {{"issuer", adfs ? authority : context.base_url + "/" + tenant_id + "/v2.0"},
             {"token_endpoint", authority + "/oauth2/v2.0/token"},
             {"authorization_endpoint", authority + "/oauth2/v2.0/authorize"},
             {"device_authorization_endpoint", authority + "/oauth2/v2.0/devicecode"},
             {"jwks_uri", authority + "/discovery/v2.0/keys"},
             {"response_types_supported", {"code", "id_token", "code id_token", "id_token token"}},
             {"response_modes_supported", {"query", "fragment", "form_post"}},
             {"subject_types_supported", {"pairwise"}},
             {"id_token_signing_alg_values_supported", {"RS256"}},
             {"token_endpoint_auth_methods_supported",
              {"client_secret_post", "private_key_jwt", "client_secret_basic"}},
             {"scopes_supported", {"openid", "profile", "email", "offline_access"}},
             {"grant_types_supported", {"client_credentials"}},
             {"tenant_region_scope", "NA"},
             {"cloud_instance_name", "wi-setup-sim"}});
}

} // namespace

bool is_token_service_path(std::string const& path) {
  return std::regex_match(path, token_path()) || std::regex_match(path, discovery_path());
}

void handle_token_service(SimulatorContext& context,
                          httplib::Request const& request,
                          httplib::Response& response) {
  response.set_header("x-ms-request-id", new_guid());
  if (request.has_header("client-request-id")) {
    response.set_header("client-request-id", request.get_header_value("client-request-id"));
  }
  std::smatch match;
  try {
    if (std::regex_match(request.path, match, token_path())) {
      if (request.method != "POST") {
        throw EntraError{405,
                         "invalid_request",
                         900561,
                         "The endpoint only accepts POST requests. Received a " + request.method +
                             " request."};
      }
      issue_token(context, request, response, match[1].str(), match[2].matched);
    } else if (std::regex_match(request.path, match, discovery_path())) {
      discovery(context, response, match[1].str());
    } else {
      send_json(response, 404, {{"error", "not_found"}});
    }
  } catch (EntraError const& failure) {
    send_entra_error(response, failure);
  }
}

} // namespace wisetup::sim
