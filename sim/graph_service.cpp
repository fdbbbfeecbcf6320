// A minimal Microsoft Graph: reading service principals (reference section 12).
#include "sim/graph_service.hpp"

#include "sim/arm_service.hpp"
#include "sim/encoding.hpp"
#include "sim/http_answers.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"
#include "sim/token_service.hpp"

#include <regex>

namespace wisetup::sim {
namespace {

constexpr std::string_view k_graph_prefix = "/graph/";

struct GraphError {
  int status;
  std::string code;
  std::string message;
};

void send_error(httplib::Request const& request,
                httplib::Response& response,
                GraphError const& error,
                std::string const& request_id) {
  send_json(
      response,
      error.status,
      {{"error",
        {{"code", error.code},
         {"message", error.message},
         {"innerError",
          {{"date", utc_seconds(std::chrono::system_clock::now())},
           {"request-id", request_id},
           {"client-request-id",
            request.has_header("client-request-id") ? request.get_header_value("client-request-id")
                                                    : request_id}}}}}});
}

nlohmann::json service_principal(std::string const& id,
                                 std::string const& app_id,
                                 std::string const& display_name,
                                 char const* type,
                                 std::string const& tenant_id,
                                 std::string const& resource_id = {}) {
  nlohmann::json names = nlohmann::json::array({app_id});
  nlohmann::json alternative = nlohmann::json::array();
  if (!resource_id.empty()) {
    names.push_back("https://identity.azure.net/" + random_hex(22));
    alternative = {"isExplicit=True", resource_id};
  }
  return {{"id", id},
          {"appId", app_id},
          {"displayName", display_name},
          {"servicePrincipalType", type},
          {"accountEnabled", true},
          {"appOwnerOrganizationId", tenant_id},
          {"servicePrincipalNames", std::move(names)},
          {"alternativeNames", std::move(alternative)},
          {"tags", nlohmann::json::array()}};
}

std::vector<nlohmann::json> all_service_principals(State const& state) {
  std::vector<nlohmann::json> principals;
  for (auto const& principal : state.service_principals) {
    principals.push_back(service_principal(principal.object_id,
                                           principal.client_id,
                                           principal.display_name,
                                           "Application",
                                           state.tenant_id));
  }
  if (auto const& system = state.managed_identity_host.system_assigned) {
    principals.push_back(service_principal(system->object_id,
                                           system->client_id,
                                           system->display_name,
                                           "ManagedIdentity",
                                           state.tenant_id));
  }
  for (auto const& [key, resource] : state.resources) {
    if (!iequals(resource.value("type", ""), "Microsoft.ManagedIdentity/userAssignedIdentities")) {
      continue;
    }
    IdentityRef const identity{key, &resource};
    principals.push_back(service_principal(identity.property("principalId"),
                                           identity.property("clientId"),
                                           resource.value("name", ""),
                                           "ManagedIdentity",
                                           state.tenant_id,
                                           resource.value("id", key)));
  }
  return principals;
}

// One $filter clause; true when `principal` matches it. Throws 400 for unsupported filters.
bool filter_matches(std::string const& filter, nlohmann::json const& principal) {
  static std::regex const k_equals{R"(^\s*(appId|id|displayName)\s+eq\s+'((?:[^']|'')*)'\s*$)",
                                   std::regex::icase};
  static std::regex const k_any{
      R"(^\s*servicePrincipalNames/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*\)\s*$)",
      std::regex::icase};
  auto const unquote = [](std::string text) {
    for (auto at = text.find("''"); at != std::string::npos; at = text.find("''", at + 1)) {
      text.erase(at, 1);
    }
    return text;
  };
  std::smatch match;
  if (std::regex_match(filter, match, k_equals)) {
    std::string field = match[1].str();
    for (char const* known : {"appId", "id", "displayName"}) {
      if (iequals(field, known)) {
        field = known;
      }
    }
    return iequals(principal.value(field, ""), unquote(match[2].str()));
  }
  if (std::regex_match(filter, match, k_any) && match[1].str() == match[2].str()) {
    std::string const wanted = unquote(match[3].str());
    for (auto const& name : principal["servicePrincipalNames"]) {
      if (iequals(name.get<std::string>(), wanted)) {
        return true;
      }
    }
    return false;
  }
  throw GraphError{400,
                   "BadRequest",
                   "Invalid filter clause: wi-setup-sim supports appId eq '...', id eq '...', "
                   "displayName eq '...' and servicePrincipalNames/any(c:c eq '...') on "
                   "servicePrincipals."};
}

void serve_graph(SimulatorContext& context,
                 httplib::Request const& request,
                 httplib::Response& response) {
  State const& state = context.state;
  if (!request.has_header("Authorization")) {
    throw GraphError{401, "InvalidAuthenticationToken", "Access token is empty."};
  }
  std::string const graph = simulated_graph_resource(context.base_url);
  BearerCheck const bearer = check_bearer(context,
                                          request,
                                          {"https://graph.microsoft.com/",
                                           "https://graph.microsoft.com",
                                           graph,
                                           graph.substr(0, graph.size() - 1)});
  if (!bearer.token || !iequals(bearer.token->tenant_id, state.tenant_id) ||
      !state.arm_caller(bearer.token->object_id)) {
    throw GraphError{401,
                     "InvalidAuthenticationToken",
                     bearer.code == "InvalidAuthenticationTokenAudience"
                         ? "Access token validation failure. Invalid audience."
                         : "Access token validation failure."};
  }
  static std::regex const k_list{R"(^/graph/v1\.0/servicePrincipals/?$)", std::regex::icase};
  static std::regex const k_by_id{R"(^/graph/v1\.0/servicePrincipals/([^/()]+)$)",
                                  std::regex::icase};
  static std::regex const k_by_app_id{R"(^/graph/v1\.0/servicePrincipals\(appId='([^']*)'\)$)",
                                      std::regex::icase};
  if (request.method != "GET" && request.method != "HEAD") {
    throw GraphError{
        405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."};
  }
  std::string const context_url = graph + "v1.0/$metadata#servicePrincipals";
  std::smatch match;
  if (std::regex_match(request.path, match, k_list)) {
    std::string const filter = request.get_param_value("$filter");
    auto value = nlohmann::json::array();
    for (auto const& principal : all_service_principals(state)) {
      if (filter.empty() || filter_matches(filter, principal)) {
        value.push_back(principal);
      }
    }
    send_json(response, 200, {{"@odata.context", context_url}, {"value", std::move(value)}});
    return;
  }
  bool const by_id = std::regex_match(request.path, match, k_by_id);
  if (by_id || std::regex_match(request.path, match, k_by_app_id)) {
    std::string const wanted = match[1].str();
    for (auto principal : all_service_principals(state)) {
      if (iequals(principal.value(by_id ? "id" : "appId", ""), wanted)) {
        principal["@odata.context"] = context_url + "/$entity";
        send_json(response, 200, principal);
        return;
      }
    }
    throw GraphError{404,
                     "Request_ResourceNotFound",
                     "Resource '" + wanted +
                         "' does not exist or one of its queried reference-property objects are "
                         "not present."};
  }
  throw GraphError{400,
                   "BadRequest",
                   "Resource not found for the segment '" +
                       request.path.substr(request.path.rfind('/') + 1) +
                       "' (wi-setup-sim serves /v1.0/servicePrincipals only)."};
}

} // namespace

bool is_graph_path(std::string const& path) {
  return path.rfind(k_graph_prefix, 0) == 0;
}

void handle_graph(SimulatorContext& context,
                  httplib::Request const& request,
                  httplib::Response& response) {
  std::string const request_id = new_guid();
  response.set_header("request-id", request_id);
  std::lock_guard lock{context.mutex};
  try {
    serve_graph(context, request, response);
  } catch (GraphError const& error) {
    send_error(request, response, error, request_id);
  }
}

} // namespace wisetup::sim
