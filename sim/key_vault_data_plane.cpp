// The Key Vault data plane (secrets) of every simulated vault, on the main listener under
// /keyvault/{vault}/ (reference section 15). Authentication: an Entra access token for
// https://vault.azure.net; authorization: the vault's access policies or, for RBAC vaults, role
// assignments of a role that may read secrets at the vault or above.
#include "sim/key_vault_data_plane.hpp"

#include "sim/arm_service.hpp"
#include "sim/encoding.hpp"
#include "sim/http_answers.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"
#include "sim/token_service.hpp"

#include <algorithm>
#include <array>
#include <regex>

namespace wisetup::sim {
namespace {

constexpr std::string_view k_vault_prefix = "/keyvault/";

struct VaultError {
  int status;
  std::string code;
  std::string message;
  std::string inner_code; ///< innererror.code, e.g. ForbiddenByPolicy
};

// What a data action needs: the access-policy permission and the RBAC roles that grant it.
struct SecretAction {
  char const* permission;  ///< in permissions.secrets
  char const* data_action; ///< Microsoft.KeyVault/vaults/secrets/...
  std::vector<std::string_view> roles;
};

// Key Vault Secrets User, Secrets Officer, Administrator (Key Vault Reader reads metadata only).
SecretAction const k_get_secret{"get",
                                "Microsoft.KeyVault/vaults/secrets/getSecret/action",
                                {"4633458b-17de-408a-b874-0445c86b69e6",
                                 "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
                                 "00482a5a-887f-4fb3-b363-3b7fe8e74483"}};
SecretAction const k_set_secret{
    "set",
    "Microsoft.KeyVault/vaults/secrets/setSecret/action",
    {"b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "00482a5a-887f-4fb3-b363-3b7fe8e74483"}};

constexpr std::array<std::string_view, 8> k_api_versions{
    "2016-10-01", "7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6"};

void send_error(SimulatorContext& context, httplib::Response& response, VaultError const& error) {
  nlohmann::json body = {{"error", {{"code", error.code}, {"message", error.message}}}};
  if (!error.inner_code.empty()) {
    body["error"]["innererror"] = {{"code", error.inner_code}};
  }
  if (error.status == 401) {
    response.set_header("WWW-Authenticate",
                        "Bearer authorization=\"" + context.base_url + "/" +
                            context.state.tenant_id + "\", resource=\"" + k_key_vault_resource +
                            "\"");
  }
  send_json(response, error.status, body);
}

nlohmann::json const* find_vault(State const& state, std::string const& name) {
  for (auto const& [key, resource] : state.resources) {
    if (iequals(resource.value("type", ""), "Microsoft.KeyVault/vaults") &&
        iequals(resource.value("name", ""), name)) {
      return &resource;
    }
  }
  return nullptr;
}

std::string caller_text(IssuedToken const& token, std::string const& base_url) {
  return "appid=" + token.client_id + ";oid=" + token.object_id + ";iss=" + base_url + "/" +
         token.tenant_id + "/";
}

// True when `scope` is the vault's id or one of its ancestors (subscription, resource group).
bool scope_covers(std::string const& scope, std::string const& resource_id) {
  std::string const lower_scope = to_lower(scope);
  std::string const lower_id = to_lower(resource_id);
  if (lower_scope.empty() || lower_id.rfind(lower_scope, 0) != 0) {
    return false;
  }
  return lower_id.size() == lower_scope.size() || lower_id[lower_scope.size()] == '/' ||
         lower_scope.back() == '/';
}

bool policy_allows(nlohmann::json const& vault, IssuedToken const& token, char const* permission) {
  nlohmann::json const& properties = vault["properties"];
  for (auto const& policy : properties.value("accessPolicies", nlohmann::json::array())) {
    if (!iequals(policy.value("objectId", ""), token.object_id) ||
        !iequals(policy.value("tenantId", ""), token.tenant_id)) {
      continue;
    }
    // A compound identity (applicationId set) applies only to that application's tokens.
    if (std::string const application = policy.value("applicationId", "");
        !application.empty() && !iequals(application, token.client_id)) {
      continue;
    }
    auto const permissions = policy.value("permissions", nlohmann::json::object());
    for (auto const& granted : permissions.value("secrets", nlohmann::json::array())) {
      if (granted.is_string() && (iequals(granted.get<std::string>(), permission) ||
                                  iequals(granted.get<std::string>(), "all"))) {
        return true;
      }
    }
  }
  return false;
}

bool rbac_allows(State const& state,
                 std::string const& vault_id,
                 IssuedToken const& token,
                 SecretAction const& action) {
  for (auto const& [key, assignment] : state.role_assignments) {
    nlohmann::json const properties = assignment.value("properties", nlohmann::json::object());
    if (!iequals(properties.value("principalId", ""), token.object_id) ||
        !scope_covers(properties.value("scope", ""), vault_id)) {
      continue;
    }
    std::string const role = to_lower(properties.value("roleDefinitionId", ""));
    std::string const role_guid = role.substr(role.rfind('/') + 1);
    if (std::find(action.roles.begin(), action.roles.end(), role_guid) != action.roles.end()) {
      return true;
    }
  }
  return false;
}

void authorize(SimulatorContext& context,
               nlohmann::json const& vault,
               IssuedToken const& token,
               SecretAction const& action,
               std::string const& secret_name) {
  std::string const vault_id = vault.value("id", "");
  std::string const vault_text =
      vault.value("name", "") + ";location=" + vault.value("location", "");
  if (vault["properties"].value("enableRbacAuthorization", false) == true) {
    if (!rbac_allows(context.state, vault_id, token, action)) {
      throw VaultError{403,
                       "Forbidden",
                       "Caller is not authorized to perform action on resource.\r\nIf role "
                       "assignments, deny assignments or role definitions were changed recently, "
                       "please observe propagation time.\r\nCaller: " +
                           caller_text(token, context.base_url) + "\r\nAction: '" +
                           action.data_action + "'\r\nResource: '" + to_lower(vault_id) +
                           "/secrets/" + to_lower(secret_name) +
                           "'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\n"
                           "DecisionReason: null \r\nVault: " +
                           vault_text + "\r\n",
                       "ForbiddenByRbac"};
    }
    return;
  }
  if (!policy_allows(vault, token, action.permission)) {
    throw VaultError{403,
                     "Forbidden",
                     "The user, group or application '" + caller_text(token, context.base_url) +
                         "' does not have secrets " + action.permission +
                         " permission on key vault '" + vault_text +
                         "'. For help resolving this issue, please see "
                         "https://go.microsoft.com/fwlink/?linkid=2125287",
                     "ForbiddenByPolicy"};
  }
}

IssuedToken authenticate_vault_caller(SimulatorContext& context, httplib::Request const& request) {
  if (!request.has_header("Authorization")) {
    throw VaultError{
        401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", {}};
  }
  BearerCheck const bearer = check_bearer(context, request, {k_key_vault_resource});
  if (bearer.token && !iequals(bearer.token->tenant_id, context.state.tenant_id)) {
    throw VaultError{401,
                     "Unauthorized",
                     "AKV10032: Invalid issuer. Expected one of " + context.base_url + "/" +
                         context.state.tenant_id + "/, found " + context.base_url + "/" +
                         bearer.token->tenant_id + "/.",
                     {}};
  }
  if (!bearer.token) {
    std::string message = "AKV10022: Invalid token: " + bearer.message;
    if (bearer.code == "InvalidAuthenticationTokenAudience") {
      message = "AKV10022: Invalid audience. Expected " + std::string(k_key_vault_resource) +
                ", found: " +
                context.tokens.find(request.get_header_value("Authorization").substr(7))
                    .value_or(IssuedToken{})
                    .audience +
                ".";
    } else if (bearer.code == "ExpiredAuthenticationToken") {
      message = "AKV10032: Token expired. " + bearer.message;
    }
    throw VaultError{401, "Unauthorized", message, {}};
  }
  return *bearer.token;
}

nlohmann::json
secret_bundle(std::string const& uri, std::string const& name, VaultSecret const& secret) {
  nlohmann::json bundle = {{"value", secret.value},
                           {"id", uri + "secrets/" + name + "/" + secret.version},
                           {"attributes",
                            {{"enabled", true},
                             {"created", secret.created},
                             {"updated", secret.created},
                             {"recoveryLevel", "Recoverable+Purgeable"},
                             {"recoverableDays", 90}}},
                           {"tags", nlohmann::json::object()}};
  if (!secret.content_type.empty()) {
    bundle["contentType"] = secret.content_type;
  }
  return bundle;
}

void serve_vault(SimulatorContext& context,
                 httplib::Request const& request,
                 httplib::Response& response) {
  static std::regex const k_secret{R"(^/keyvault/([^/]+)/secrets/([^/]+)(/([^/]*))?/?$)",
                                   std::regex::icase};
  static std::regex const k_vault{R"(^/keyvault/([^/]+)(/.*)?$)", std::regex::icase};
  std::smatch match;
  if (!std::regex_match(request.path, match, k_vault)) {
    throw VaultError{404, "NotFound", "The requested resource was not found.", {}};
  }
  nlohmann::json const* vault = find_vault(context.state, match[1].str());
  if (vault == nullptr) {
    // On Azure the vault's host name would not resolve.
    throw VaultError{404,
                     "VaultNotFound",
                     "wi-setup-sim has no vault named '" + match[1].str() +
                         "' (on Azure its host name would not resolve).",
                     {}};
  }
  IssuedToken const token = authenticate_vault_caller(context, request);
  std::string const version = request.get_param_value("api-version");
  if (std::find(k_api_versions.begin(), k_api_versions.end(), version) == k_api_versions.end()) {
    throw VaultError{400,
                     "BadParameter",
                     version.empty() ? "The request URI contains an invalid or missing api-version."
                                     : "The specified version (" + version +
                                           ") is not recognized. Consider using the latest "
                                           "supported version (7.6).",
                     {}};
  }
  if (!std::regex_match(request.path, match, k_secret)) {
    throw VaultError{
        404,
        "NotFound",
        "wi-setup-sim serves secrets/{name}[/{version}] of the Key Vault data plane only.",
        {}};
  }
  std::string const name = match[2].str();
  std::string const secret_version = match[4].matched ? match[4].str() : std::string{};
  std::string const vault_key = to_lower(vault->value("id", ""));
  std::string const uri = vault->at("properties").value("vaultUri", "");
  if (request.method == "GET" || request.method == "HEAD") {
    authorize(context, *vault, token, k_get_secret, name);
    auto const secrets = context.state.vault_secrets.find(vault_key);
    VaultSecret const* found = nullptr;
    if (secrets != context.state.vault_secrets.end()) {
      auto const secret = secrets->second.find(to_lower(name));
      if (secret != secrets->second.end() &&
          (secret_version.empty() || iequals(secret->second.version, secret_version))) {
        found = &secret->second;
      }
    }
    if (found == nullptr) {
      throw VaultError{404,
                       "SecretNotFound",
                       "A secret with (name/id) " + name +
                           (secret_version.empty() ? std::string{} : "/" + secret_version) +
                           " was not found in this key vault. If you recently deleted this secret "
                           "you may be able to recover it using the correct recovery command. For "
                           "help resolving this issue, please see "
                           "https://go.microsoft.com/fwlink/?linkid=2125182",
                       {}};
    }
    send_json(response, 200, secret_bundle(uri, name, *found));
    return;
  }
  if (request.method == "PUT" && secret_version.empty()) {
    authorize(context, *vault, token, k_set_secret, name);
    auto const body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("value") || !body["value"].is_string()) {
      throw VaultError{400, "BadParameter", "The request body must be {\"value\": \"...\"}.", {}};
    }
    VaultSecret secret{body["value"].get<std::string>(),
                       random_hex(16),
                       unix_seconds(std::chrono::system_clock::now()),
                       body.value("contentType", "")};
    context.state.vault_secrets[vault_key][to_lower(name)] = secret;
    send_json(response, 200, secret_bundle(uri, name, secret));
    return;
  }
  throw VaultError{405,
                   "BadParameter",
                   "The method " + request.method + " is not allowed on this resource.",
                   {}};
}

} // namespace

std::string key_vault_uri(std::string const& base_url, std::string const& name) {
  return base_url + std::string(k_vault_prefix) + to_lower(name) + "/";
}

bool is_key_vault_path(std::string const& path) {
  return path.rfind(k_vault_prefix, 0) == 0;
}

void handle_key_vault(SimulatorContext& context,
                      httplib::Request const& request,
                      httplib::Response& response) {
  response.set_header("x-ms-request-id", new_guid());
  response.set_header("x-ms-keyvault-service-version", "1.9.2164.1");
  std::lock_guard lock{context.mutex};
  try {
    serve_vault(context, request, response);
  } catch (VaultError const& error) {
    send_error(context, response, error);
  }
}

} // namespace wisetup::sim
