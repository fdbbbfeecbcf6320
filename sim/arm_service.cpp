#include "sim/arm_service.hpp"

#include "sim/arm_handlers.hpp"
#include "sim/cluster_operations.hpp"
#include "sim/encoding.hpp"
#include "sim/http_answers.hpp"
#include "sim/time_text.hpp"

#include <regex>

namespace wisetup::sim {
namespace {

// Which part of the path names the subscription and whether a resource group must exist.
enum class RouteScope {
  subscription,   // group 1 is the subscription id
  resource_group, // group 1 subscription, group 2 resource group
  any_scope,      // group 1 is an ARM scope (/subscriptions/...)
  tenant          // no subscription (GET /subscriptions, GET /tenants)
};

struct ArmRoute {
  std::string method;
  std::regex pattern;
  std::string family; // api-version family
  std::string action; // checked over the request path; empty = any signed-in principal
  RouteScope scope;
  ArmReply (*handler)(ArmCall&);
};

std::vector<ArmRoute> const& routes() {
  static std::string const sub = "^/subscriptions/([^/]+)";
  static std::string const group = sub + "/resourceGroups/([^/]+)";
  static std::string const cluster =
      group + R"(/providers/Microsoft\.ContainerService/managedClusters/([^/]+))";
  static std::string const identity =
      group + R"(/providers/Microsoft\.ManagedIdentity/userAssignedIdentities/([^/]+))";
  static std::string const credentials = identity + "/federatedIdentityCredentials";
  static std::string const vault = group + R"(/providers/Microsoft\.KeyVault/vaults/([^/]+))";
  static std::string const assignments =
      R"(^(/subscriptions/.+?)/providers/Microsoft\.Authorization/roleAssignments)";
  auto const route = [](std::string method,
                        std::string const& pattern,
                        std::string family,
                        std::string action,
                        RouteScope scope,
                        ArmReply (*handler)(ArmCall&)) {
    return ArmRoute{std::move(method),
                    std::regex(pattern, std::regex::ECMAScript | std::regex::icase),
                    std::move(family),
                    std::move(action),
                    scope,
                    handler};
  };
  using enum RouteScope;
  std::string const aks = "Microsoft.ContainerService/managedClusters";
  std::string const msi = "Microsoft.ManagedIdentity/userAssignedIdentities";
  std::string const fic = msi + "/federatedIdentityCredentials";
  std::string const kv = "Microsoft.KeyVault/vaults";
  std::string const rbac = "Microsoft.Authorization/roleAssignments";
  static std::vector<ArmRoute> const k_routes{
      route("GET", sub + "$", "Microsoft.Resources", "", subscription, get_subscription),
      route("GET",
            "^/subscriptions/?$",
            "Microsoft.Resources/subscriptions",
            "",
            tenant,
            list_subscriptions),
      route("GET", "^/tenants/?$", "Microsoft.Resources/subscriptions", "", tenant, list_tenants),
      route("GET",
            sub + "/resources$",
            "Microsoft.Resources/resources",
            "Microsoft.Resources/subscriptions/resources/read",
            subscription,
            list_resources),
      route("GET",
            group + "/resources$",
            "Microsoft.Resources/resources",
            "Microsoft.Resources/subscriptions/resourceGroups/resources/read",
            resource_group,
            list_resources),
      route("GET",
            group + "$",
            "Microsoft.Resources",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
            resource_group,
            get_resource_group),
      route("GET", cluster + "$", aks, aks + "/read", resource_group, get_cluster),
      route("PUT", cluster + "$", aks, aks + "/write", resource_group, put_cluster),
      route("PATCH", cluster + "$", aks, aks + "/write", resource_group, patch_cluster),
      route("POST",
            cluster + "/(listClusterUserCredential)$",
            aks,
            aks + "/listClusterUserCredential/action",
            resource_group,
            list_cluster_credential),
      route("POST",
            cluster + "/(listClusterAdminCredential)$",
            aks,
            aks + "/listClusterAdminCredential/action",
            resource_group,
            list_cluster_credential),
      route("GET",
            sub + R"(/providers/Microsoft\.ContainerService/locations/([^/]+)/operations/([^/]+)$)",
            aks,
            "Microsoft.ContainerService/locations/operations/read",
            subscription,
            get_cluster_operation),
      route("GET", identity + "$", msi, msi + "/read", resource_group, get_identity),
      route("PUT", identity + "$", msi, msi + "/write", resource_group, put_identity),
      route("PATCH", identity + "$", msi, msi + "/write", resource_group, patch_identity),
      route("DELETE", identity + "$", msi, msi + "/delete", resource_group, delete_identity),
      route(
          "GET", credentials + "$", fic, fic + "/read", resource_group, list_federated_credentials),
      route("GET",
            credentials + "/([^/]+)$",
            fic,
            fic + "/read",
            resource_group,
            get_federated_credential),
      route("PUT",
            credentials + "/([^/]+)$",
            fic,
            fic + "/write",
            resource_group,
            put_federated_credential),
      route("DELETE",
            credentials + "/([^/]+)$",
            fic,
            fic + "/delete",
            resource_group,
            delete_federated_credential),
      route("GET", vault + "$", kv, kv + "/read", resource_group, get_vault),
      route("PUT", vault + "$", kv, kv + "/write", resource_group, put_vault),
      route("PUT",
            vault + "/accessPolicies/([^/]+)$",
            kv,
            kv + "/accessPolicies/write",
            resource_group,
            put_access_policies),
      route("GET", assignments + "$", rbac, rbac + "/read", any_scope, list_role_assignments),
      // Anyone may ask what they may do.
      route("GET",
            R"(^(/subscriptions/.+?)/providers/Microsoft\.Authorization/permissions$)",
            "Microsoft.Authorization/permissions",
            "",
            any_scope,
            list_permissions),
      route("GET", assignments + "/([^/]+)$", rbac, rbac + "/read", any_scope, get_role_assignment),
      route(
          "PUT", assignments + "/([^/]+)$", rbac, rbac + "/write", any_scope, put_role_assignment),
      route("DELETE",
            assignments + "/([^/]+)$",
            rbac,
            rbac + "/delete",
            any_scope,
            delete_role_assignment),
  };
  return k_routes;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative '*' matching, case-insensitive.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && iequals(pattern.substr(p, 1), text.substr(t, 1))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

std::string subscription_of_scope(std::string const& scope) {
  static std::regex const k_subscription{R"(^/subscriptions/([^/]+))", std::regex::icase};
  std::smatch match;
  return std::regex_search(scope, match, k_subscription) ? match[1].str() : std::string{};
}

std::string join(std::vector<std::string> const& items) {
  std::string out;
  for (auto const& item : items) {
    out += (out.empty() ? "" : ",") + item;
  }
  return out;
}

void write_error(SimulatorContext& context, httplib::Response& response, ArmError const& error) {
  if (error.status() == 401) {
    std::string const description = error.code() == "AuthenticationFailed"
                                        ? std::string(error.what())
                                        : "The access token is invalid.";
    response.set_header("WWW-Authenticate",
                        "Bearer authorization_uri=\"" + context.base_url + "/" +
                            context.state.tenant_id +
                            "\", error=\"invalid_token\", "
                            "error_description=\"" +
                            description + "\"");
  }
  send_json(response, error.status(), error.envelope());
}

} // namespace

bool action_allowed(ServicePrincipal const& principal, std::string const& action) {
  if (principal.reader_only && !iends_with(action, "/read")) {
    return false;
  }
  if (!principal.allowed_actions.empty() &&
      std::none_of(principal.allowed_actions.begin(),
                   principal.allowed_actions.end(),
                   [&action](auto const& allowed) { return glob_match(allowed, action); })) {
    return false;
  }
  for (auto const& denied : principal.denied_actions) {
    if (glob_match(denied, action)) {
      return false;
    }
  }
  return true;
}

BearerCheck check_bearer(SimulatorContext& context,
                         httplib::Request const& request,
                         std::vector<std::string> const& audiences) {
  BearerCheck check;
  if (!request.has_header("Authorization")) {
    check.code = "AuthenticationFailed";
    check.message = "Authentication failed. The 'Authorization' header is missing.";
    return check;
  }
  std::string const header = request.get_header_value("Authorization");
  if (!istarts_with(header, "Bearer ") || header.size() <= 7) {
    check.code = "AuthenticationFailed";
    check.message = "Authentication failed. The 'Authorization' header is provided in an invalid "
                    "format.";
    return check;
  }
  auto token = context.tokens.find(header.substr(7));
  if (!token) {
    check.code = "InvalidAuthenticationToken";
    check.message = "The access token is invalid.";
    return check;
  }
  auto const now = std::chrono::system_clock::now();
  if (token->expires_at <= now) {
    check.code = "ExpiredAuthenticationToken";
    check.message = "The access token expiry UTC time '" + utc_seconds(token->expires_at) +
                    "' is earlier than current UTC time '" + utc_seconds(now) + "'.";
    return check;
  }
  bool audience_ok = false;
  for (auto const& audience : audiences) {
    audience_ok = audience_ok || iequals(audience, token->audience);
  }
  if (!audience_ok) {
    check.code = "InvalidAuthenticationTokenAudience";
    std::string allowed;
    for (auto const& audience : audiences) {
      allowed += (allowed.empty() ? "'" : ",'") + audience + "'";
    }
    check.message = "The access token has been obtained for wrong audience or resource '" +
                    token->audience +
                    "'. It should exactly match with one of the allowed audiences " + allowed + ".";
    return check;
  }
  check.token = std::move(token);
  return check;
}

void handle_arm(SimulatorContext& context,
                httplib::Request const& request,
                httplib::Response& response) {
  add_arm_headers(request, response);
  std::unique_lock lock{context.mutex, std::defer_lock};
  try {
    static std::vector<std::string> const k_arm_audiences{"https://management.core.windows.net/",
                                                          "https://management.core.windows.net",
                                                          "https://management.azure.com/",
                                                          "https://management.azure.com"};
    BearerCheck bearer = check_bearer(context, request, k_arm_audiences);
    if (!bearer.token) {
      throw ArmError(401, bearer.code, bearer.message);
    }

    ArmRoute const* route = nullptr;
    bool path_known = false;
    std::smatch match;
    for (auto const& candidate : routes()) {
      if (std::regex_match(request.path, match, candidate.pattern)) {
        path_known = true;
        if (candidate.method == request.method ||
            (request.method == "HEAD" && candidate.method == "GET")) {
          route = &candidate;
          break;
        }
      }
    }
    if (route == nullptr) {
      if (path_known) {
        throw ArmError(405,
                       "MethodNotAllowed",
                       "The HTTP method '" + request.method +
                           "' is not supported for this resource by wi-setup-sim.");
      }
      throw ArmError(404,
                     "InvalidResourceType",
                     "The resource type for path '" + request.path +
                         "' could not be found in the simulated resource providers.");
    }
    std::vector<std::string> params;
    for (std::size_t i = 1; i < match.size(); ++i) {
      params.push_back(match[i].str());
    }

    lock.lock();
    settle_cluster_operations(context);
    State& state = context.state;

    std::string const api_version = request.get_param_value("api-version");
    if (!request.has_param("api-version") || api_version.empty()) {
      throw ArmError(400,
                     "MissingApiVersionParameter",
                     "The api-version query parameter (?api-version=) is required for all "
                     "requests.");
    }
    auto const& accepted = state.api_versions[route->family];
    if (std::find(accepted.begin(), accepted.end(), api_version) == accepted.end()) {
      throw ArmError(400,
                     "InvalidApiVersionParameter",
                     "The api-version '" + api_version +
                         "' is invalid. The supported versions "
                         "are '" +
                         join(accepted) + "'.");
    }

    if (!iequals(bearer.token->tenant_id, state.tenant_id)) {
      throw ArmError(401,
                     "InvalidAuthenticationTokenTenant",
                     "The access token is from the wrong issuer '" + context.base_url + "/" +
                         bearer.token->tenant_id + "/'. It must match the tenant '" +
                         context.base_url + "/" + state.tenant_id +
                         "/' associated with this subscription.");
    }
    // Service principals, users, the machine's and user-assigned identities may all call ARM.
    std::optional<ServicePrincipal> const principal = state.arm_caller(bearer.token->object_id);
    if (!principal) {
      throw ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.");
    }

    Subscription const* subscription = nullptr;
    if (route->scope != RouteScope::tenant) {
      std::string const subscription_id = route->scope == RouteScope::any_scope
                                              ? subscription_of_scope(params.at(0))
                                              : params.at(0);
      if (subscription_id.empty()) {
        throw ArmError(400,
                       "MissingSubscription",
                       "The request did not have a subscription or a valid tenant level resource "
                       "provider.");
      }
      subscription = state.subscription(subscription_id);
      if (subscription == nullptr) {
        throw ArmError(404,
                       "SubscriptionNotFound",
                       "The subscription '" + subscription_id + "' could not be found.");
      }
    }
    if (!route->action.empty() && !action_allowed(*principal, route->action)) {
      throw ArmError(403,
                     "AuthorizationFailed",
                     "The client '" + principal->object_id + "' with object id '" +
                         principal->object_id +
                         "' does not have authorization to perform action '" + route->action +
                         "' over scope '" + request.path +
                         "' or the scope is invalid. If access was recently granted, please "
                         "refresh your credentials.");
    }
    if (route->scope == RouteScope::resource_group &&
        subscription->resource_groups.count(to_lower(params.at(1))) == 0) {
      throw ArmError(404,
                     "ResourceGroupNotFound",
                     "Resource group '" + params.at(1) + "' could not be found.");
    }

    ArmCall call{request, context, state, lock, *principal, api_version, std::move(params)};
    ArmReply reply = route->handler(call);
    for (auto const& [name, value] : reply.headers) {
      response.set_header(name, value);
    }
    if (reply.body.is_null()) {
      response.status = reply.status;
    } else {
      send_json(response, reply.status, reply.body);
    }
  } catch (ArmError const& error) {
    if (!lock.owns_lock()) {
      lock.lock();
    }
    write_error(context, response, error);
  } catch (std::exception const& error) {
    send_json(
        response,
        500,
        arm_error_body("InternalServerError",
                       std::string("The simulator failed to serve the request: ") + error.what()));
  }
}

} // namespace wisetup::sim
