#include "sim/token_service.hpp"

#include "sim/client_assertion.hpp"
#include "sim/encoding.hpp"
#include "sim/entra_error.hpp"
#include "sim/http_answers.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"
#include "sim/well_known_apps.hpp"

#include <cmath>
#include <optional>
#include <regex>

namespace wisetup::sim {
namespace {

// The AKS server application: tokens for it authenticate to Entra-integrated clusters.
constexpr char const* k_jwt_bearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr char const* k_device_code_grant = "urn:ietf:params:oauth:grant-type:device_code";
// Entra's default lifetime of refresh tokens (not shortened by --token-lifetime-seconds, which
// is about access tokens).
constexpr std::chrono::hours k_refresh_token_lifetime{24 * 90};

using Form = std::vector<std::pair<std::string, std::string>>;

std::regex const& token_path() {
  static std::regex const k_pattern{R"(^/([^/]+)/oauth2/(v2\.0/)?token$)", std::regex::icase};
  return k_pattern;
}

std::regex const& device_code_path() {
  static std::regex const k_pattern{R"(^/([^/]+)/oauth2/v2\.0/devicecode$)", std::regex::icase};
  return k_pattern;
}

std::regex const& discovery_path() {
  static std::regex const k_pattern{R"(^/([^/]+)/(v2\.0/)?\.well-known/openid-configuration$)",
                                    std::regex::icase};
  return k_pattern;
}

std::optional<std::string> form_value(Form const& form, std::string const& name) {
  for (auto const& [key, value] : form) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

std::string required(Form const& form, std::string const& name) {
  auto value = form_value(form, name);
  if (!value || value->empty()) {
    throw missing_parameter(name);
  }
  return *value;
}

// The scope's items other than the OpenID ones.
std::vector<std::string> scope_items(std::string const& scope, bool* offline_access) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= scope.size()) {
    std::size_t const end = std::min(scope.find(' ', start), scope.size());
    std::string const item = scope.substr(start, end - start);
    start = end + 1;
    if (item == "offline_access" && offline_access != nullptr) {
      *offline_access = true;
    }
    if (item.empty() || item == "openid" || item == "profile" || item == "offline_access") {
      continue;
    }
    items.push_back(item);
  }
  return items;
}

[[noreturn]] void unknown_resource(std::string const& resource, std::string const& tenant_id) {
  throw EntraError{400,
                   "invalid_resource",
                   500011,
                   "The resource principal named " + resource +
                       " was not found in the tenant named " + tenant_id +
                       ". This can happen if the application has not been installed by the "
                       "administrator of the tenant or consented to by any user in the tenant. "
                       "You might have sent your authentication request to the wrong tenant."};
}

// Resolves the resource of a v2 `scope` (one "<resource>/.default") or a v1 `resource`.
std::string requested_resource(Form const& form,
                               bool v2,
                               std::string const& tenant_id,
                               std::string const& base_url,
                               bool* offline_access) {
  if (!v2) {
    std::string const resource = required(form, "resource");
    if (auto const known = known_resource(resource, base_url)) {
      return *known;
    }
    unknown_resource(resource, tenant_id);
  }
  auto const scope = form_value(form, "scope");
  if (!scope || scope->empty()) {
    throw EntraError{400,
                     "invalid_scope",
                     70011,
                     "The provided request must include a 'scope' input parameter."};
  }
  auto const resources = scope_items(*scope, offline_access);
  static std::string const k_default_suffix = "/.default";
  if (resources.size() != 1 || !iends_with(resources[0], k_default_suffix)) {
    throw EntraError{400,
                     "invalid_scope",
                     70011,
                     "The provided value for the input parameter 'scope' is not valid. The scope " +
                         *scope +
                         " is not valid. The simulator issues tokens for exactly one scope of "
                         "the form <resource>/.default."};
  }
  // Azure CLI asks for "https://management.core.windows.net//.default": keep the inner slash.
  std::string const resource =
      resources[0].substr(0, resources[0].size() - k_default_suffix.size());
  if (auto const known = known_resource(resource, base_url)) {
    return *known;
  }
  unknown_resource(resource, tenant_id);
}

[[noreturn]] void unknown_client(std::string const& client_id, std::string const& tenant_id) {
  throw EntraError{400,
                   "unauthorized_client",
                   700016,
                   "Application with identifier '" + client_id +
                       "' was not found in the directory '" + tenant_id +
                       "'. This can happen if the application has not been installed by the "
                       "administrator of the tenant or consented to by any user in the tenant. "
                       "You may have sent your authentication request to the wrong tenant."};
}

bool is_multi_tenant(std::string const& tenant) {
  return iequals(tenant, "organizations") || iequals(tenant, "common");
}

// The tenant of the request's path, or 90002. `users_only`: organizations/common are accepted.
void check_tenant(State const& state, std::string const& tenant, bool users_only) {
  if (iequals(tenant, state.tenant_id) || iequals(tenant, "adfs") ||
      (users_only && is_multi_tenant(tenant))) {
    return;
  }
  if (is_multi_tenant(tenant)) {
    throw EntraError{400,
                     "invalid_request",
                     90002,
                     "Tenant '" + tenant +
                         "' cannot be used with the client credentials flow: an application "
                         "signs in to its own tenant. Use the tenant id " +
                         state.tenant_id + " in the authority."};
  }
  throw EntraError{400,
                   "invalid_request",
                   90002,
                   "Tenant '" + tenant +
                       "' not found. Check to make sure you have the correct tenant ID and are "
                       "signing into the correct cloud."};
}

// The JSON of a successful token answer; `scope` only for user tokens.
void send_token(SimulatorContext& context,
                httplib::Response& response,
                IssuedToken const& token,
                bool v2,
                std::string const& refresh_token,
                std::string const& scope) {
  auto const seconds = static_cast<long long>(std::ceil(context.options.token_lifetime.count()));
  nlohmann::json body = {{"token_type", "Bearer"},
                         {"expires_in", seconds},
                         {"ext_expires_in", seconds},
                         {"access_token", issue_access_token(context, token)}};
  if (!scope.empty()) {
    body["scope"] = scope;
  }
  if (!refresh_token.empty()) {
    body["refresh_token"] = refresh_token;
  }
  if (!v2) {
    body["expires_on"] = std::to_string(unix_seconds(token.expires_at));
    body["resource"] = token.audience;
  }
  response.set_header("Cache-Control", "no-store, no-cache");
  response.set_header("Pragma", "no-cache");
  send_json(response, 200, body);
}

std::chrono::system_clock::time_point access_token_expiry(SimulatorContext const& context) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             context.options.token_lifetime);
}

// grant_type=client_credentials with a client secret or a client assertion.
IssuedToken client_credentials(SimulatorContext& context,
                               httplib::Request const& request,
                               Form const& form,
                               std::string const& tenant,
                               bool v2) {
  State const& state = context.state;
  std::string const client_id = required(form, "client_id");
  ServicePrincipal const* principal = state.principal_by_client_id(client_id);
  bool const identity = principal == nullptr && state.identity_by("clientId", client_id);
  if (principal == nullptr && !identity) {
    unknown_client(client_id, state.tenant_id);
  }
  auto const secret = form_value(form, "client_secret");
  auto const assertion = form_value(form, "client_assertion");
  if (secret && assertion) {
    throw EntraError{400,
                     "invalid_request",
                     90014,
                     "The request body must contain only one of the parameters 'client_secret' "
                     "and 'client_assertion'."};
  }
  IssuedToken token;
  token.tenant_id = state.tenant_id;
  if (assertion) {
    std::string const type = required(form, "client_assertion_type");
    if (type != k_jwt_bearer) {
      throw EntraError{400,
                       "invalid_request",
                       70002,
                       "The client_assertion_type '" + type + "' is not supported; use " +
                           k_jwt_bearer + "."};
    }
    if (assertion->empty()) {
      throw missing_parameter("client_assertion");
    }
    std::vector<std::string> endpoints;
    for (auto const& tenant_text : {tenant, state.tenant_id}) {
      for (char const* path : {"/oauth2/v2.0/token", "/oauth2/token"}) {
        endpoints.push_back(context.base_url + "/" + tenant_text + path);
      }
    }
    // The endpoint the request went to comes first: error messages suggest it.
    std::string const requested = context.base_url + request.path;
    endpoints.insert(endpoints.begin(), requested);
    AssertionSignIn const signed_in =
        authenticate_client_assertion(context, client_id, *assertion, endpoints);
    token.object_id = signed_in.object_id;
    token.client_id = signed_in.client_id;
    token.identity_resource_id = signed_in.identity_resource_id;
    token.appidacr = '2';
  } else {
    if (!secret || secret->empty()) {
      throw EntraError{401,
                       "invalid_client",
                       7000218,
                       "The request body must contain the following parameter: "
                       "'client_assertion' or 'client_secret'."};
    }
    if (principal == nullptr || principal->client_secret.empty() ||
        *secret != principal->client_secret) {
      throw EntraError{401,
                       "invalid_client",
                       7000215,
                       "Invalid client secret provided. Ensure the secret being sent in the "
                       "request is the client secret value, not the client secret ID, for a "
                       "secret added to app '" +
                           client_id + "'."};
    }
    token.object_id = principal->object_id;
    token.client_id = principal->client_id;
  }
  token.audience = requested_resource(form, v2, state.tenant_id, context.base_url, nullptr);
  token.expires_at = access_token_expiry(context);
  return token;
}

[[noreturn]] void missing_user(std::string const& object_id) {
  throw EntraError{400,
                   "invalid_grant",
                   50034,
                   "The user account " + object_id +
                       " does not exist in the directory. Sign in with another account."};
}

// A user's access token and, with offline_access, a refresh token.
void send_user_token(SimulatorContext& context,
                     httplib::Response& response,
                     User const& user,
                     std::string const& client_id,
                     std::string const& resource,
                     std::string const& scope,
                     bool offline_access) {
  IssuedToken token;
  token.object_id = user.object_id;
  token.client_id = client_id;
  token.tenant_id = context.state.tenant_id;
  token.audience = resource;
  token.expires_at = access_token_expiry(context);
  token.appidacr = '0';
  token.user_principal_name = user.user_principal_name;
  std::string refresh_token;
  if (offline_access) {
    refresh_token =
        context.tokens.issue_refresh({user.object_id,
                                      client_id,
                                      context.state.tenant_id,
                                      user.user_principal_name,
                                      std::chrono::system_clock::now() + k_refresh_token_lifetime});
  }
  send_token(context, response, token, true, refresh_token, scope);
}

void device_code_grant(SimulatorContext& context, httplib::Response& response, Form const& form) {
  State const& state = context.state;
  std::string const client_id = required(form, "client_id");
  std::string const device_code = required(form, "device_code");
  std::string const default_user =
      state.users.empty() ? std::string{} : state.users.front().object_id;
  DeviceCodeSession const session = context.device_codes.poll(
      device_code, client_id, context.options.device_code_auto_approve_polls, default_user);
  User const* user = state.user(session.user);
  if (user == nullptr) {
    missing_user(session.user);
  }
  send_user_token(
      context, response, *user, client_id, session.resource, session.scope, session.offline_access);
}

void refresh_token_grant(SimulatorContext& context,
                         httplib::Response& response,
                         Form const& form,
                         bool v2) {
  State const& state = context.state;
  std::string const client_id = required(form, "client_id");
  std::string const refresh_token = required(form, "refresh_token");
  auto const grant = context.tokens.find_refresh(refresh_token);
  if (!grant) {
    throw EntraError{400,
                     "invalid_grant",
                     9002313,
                     "Invalid request. Request is malformed or invalid: the refresh token was not "
                     "issued by this tenant."};
  }
  if (!iequals(grant->client_id, client_id)) {
    throw EntraError{400,
                     "invalid_grant",
                     70000,
                     "The refresh token was issued to another client application ('" +
                         grant->client_id + "')."};
  }
  if (grant->expires_at <= std::chrono::system_clock::now()) {
    throw EntraError{400,
                     "invalid_grant",
                     700082,
                     "The refresh token has expired due to inactivity. Sign in again."};
  }
  User const* user = state.user(grant->object_id);
  if (user == nullptr) {
    missing_user(grant->object_id);
  }
  bool offline_access = false;
  std::string const resource =
      requested_resource(form, v2, state.tenant_id, context.base_url, &offline_access);
  // A refresh token grant always answers with a new refresh token, as Entra does.
  send_user_token(context,
                  response,
                  *user,
                  client_id,
                  resource,
                  form_value(form, "scope").value_or(resource),
                  true);
}

void token_endpoint(SimulatorContext& context,
                    httplib::Request const& request,
                    httplib::Response& response,
                    std::string const& tenant,
                    bool v2) {
  std::lock_guard lock{context.mutex};
  auto const form = parse_form(request.body);
  std::string const grant_type = required(form, "grant_type");
  bool const user_grant = grant_type == k_device_code_grant || grant_type == "refresh_token";
  check_tenant(context.state, tenant, user_grant);
  if (grant_type == "client_credentials") {
    send_token(
        context, response, client_credentials(context, request, form, tenant, v2), v2, {}, {});
  } else if (grant_type == k_device_code_grant) {
    device_code_grant(context, response, form);
  } else if (grant_type == "refresh_token") {
    refresh_token_grant(context, response, form, v2);
  } else {
    throw EntraError{400,
                     "unsupported_grant_type",
                     70003,
                     "The app requested an unsupported grant type '" + grant_type +
                         "'. The simulator supports client_credentials (client secret or client "
                         "assertion), " +
                         k_device_code_grant + " and refresh_token."};
  }
}

void device_code_endpoint(SimulatorContext& context,
                          httplib::Request const& request,
                          httplib::Response& response,
                          std::string const& tenant) {
  std::lock_guard lock{context.mutex};
  State const& state = context.state;
  check_tenant(state, tenant, /*users_only=*/true);
  auto const form = parse_form(request.body);
  std::string const client_id = required(form, "client_id");
  if (state.public_client(client_id) == nullptr) {
    if (state.principal_by_client_id(client_id) != nullptr) {
      throw EntraError{401,
                       "invalid_client",
                       7000218,
                       "The request body must contain the following parameter: "
                       "'client_assertion' or 'client_secret'. The application '" +
                           client_id +
                           "' is not a public client, so it cannot use the device code flow."};
    }
    unknown_client(client_id, state.tenant_id);
  }
  bool offline_access = false;
  std::string const resource =
      requested_resource(form, true, state.tenant_id, context.base_url, &offline_access);
  DeviceCodeSession const session =
      context.device_codes.start(client_id,
                                 state.tenant_id,
                                 resource,
                                 form_value(form, "scope").value_or(""),
                                 offline_access,
                                 context.options.device_code_lifetime,
                                 context.options.device_code_interval);
  std::string const verification_uri = context.base_url + "/devicelogin";
  send_json(response,
            200,
            {{"user_code", session.user_code},
             {"device_code", session.device_code},
             {"verification_uri", verification_uri},
             {"expires_in",
              static_cast<long long>(std::ceil(context.options.device_code_lifetime.count()))},
             {"interval",
              static_cast<long long>(std::ceil(context.options.device_code_interval.count()))},
             {"message",
              "To sign in, use a web browser to open the page " + verification_uri +
                  " and enter the code " + session.user_code + " to authenticate."}});
}

void verification_page(SimulatorContext& context, httplib::Response& response) {
  response.status = 200;
  response.set_content(
      "<!DOCTYPE html>\n<html><head><title>wi-setup-sim device login</title></head><body>\n"
      "<h1>wi-setup-sim: device code sign-in</h1>\n"
      "<p>This simulator has no sign-in form. Approve a code with <code>POST " +
          context.base_url +
          "/_sim/devicecode/approve</code> and the body "
          "<code>{\"user_code\": \"...\"}</code>, or start the simulator with "
          "<code>--device-code-auto-approve-polls N</code>. <code>GET /_sim/devicecode</code> "
          "lists the codes.</p>\n</body></html>\n",
      "text/html; charset=utf-8");
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
  send_json(
      response,
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
       {"grant_types_supported", {"client_credentials", k_device_code_grant, "refresh_token"}},
       {"tenant_region_scope", "NA"},
       {"cloud_instance_name", "wi-setup-sim"}});
}

} // namespace

std::optional<std::string> known_resource(std::string const& resource,
                                          std::string const& base_url) {
  static std::vector<std::string> const k_resources{"https://management.core.windows.net/",
                                                    "https://management.azure.com/",
                                                    "https://graph.microsoft.com/"};
  for (auto const& known : k_resources) {
    if (iequals(resource, known) || iequals(resource + "/", known)) {
      return known;
    }
  }
  // Key Vault's audience has no trailing slash (the tokens' "aud" is https://vault.azure.net).
  if (iequals(resource, k_key_vault_resource) ||
      iequals(resource, std::string(k_key_vault_resource) + "/")) {
    return std::string(k_key_vault_resource);
  }
  // The simulator's Microsoft Graph (cloud.json microsoftGraphResourceId).
  if (!base_url.empty()) {
    std::string const graph = simulated_graph_resource(base_url);
    if (iequals(resource, graph) || iequals(resource + "/", graph)) {
      return graph;
    }
  }
  if (iequals(resource, k_aks_server_app_id) ||
      iequals(resource, std::string("api://") + k_aks_server_app_id)) {
    return std::string(k_aks_server_app_id);
  }
  return std::nullopt;
}

std::string simulated_graph_resource(std::string const& base_url) {
  return base_url + "/graph/";
}

std::string issue_access_token(SimulatorContext& context, IssuedToken const& token) {
  return context.tokens.issue(token, context.base_url + "/" + token.tenant_id + "/");
}

bool is_token_service_path(std::string const& path) {
  return path == "/devicelogin" || std::regex_match(path, token_path()) ||
         std::regex_match(path, device_code_path()) || std::regex_match(path, discovery_path());
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
    bool const token = std::regex_match(request.path, match, token_path());
    bool const device_code = !token && std::regex_match(request.path, match, device_code_path());
    if ((token || device_code) && request.method != "POST") {
      throw EntraError{405,
                       "invalid_request",
                       900561,
                       "The endpoint only accepts POST requests. Received a " + request.method +
                           " request."};
    }
    if (token) {
      token_endpoint(context, request, response, match[1].str(), match[2].matched);
    } else if (device_code) {
      device_code_endpoint(context, request, response, match[1].str());
    } else if (request.path == "/devicelogin") {
      verification_page(context, response);
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
