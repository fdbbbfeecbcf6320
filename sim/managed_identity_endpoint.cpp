#include "sim/managed_identity_endpoint.hpp"

#include "sim/encoding.hpp"
#include "sim/http_answers.hpp"
#include "sim/time_text.hpp"
#include "sim/token_service.hpp"

#include <cmath>

namespace wisetup::sim {
namespace {

constexpr char const* k_imds_path = "/metadata/identity/oauth2/token";
constexpr char const* k_app_service_path = "/msi/token";

/// An answer other than a token.
struct Refusal {
  int status;
  std::string error;
  std::string description;
};

/// One identity of the machine.
struct MachineIdentity {
  std::string object_id;
  std::string client_id;
  std::string resource_id; ///< empty for the system-assigned identity
};

/// Which selector query parameter names which field, per flavour.
struct Selectors {
  char const* client_id;
  char const* object_id;
  char const* resource_id;
  std::vector<char const*> aliases_of_object_id;
  std::vector<char const*> aliases_of_resource_id;
};

std::vector<MachineIdentity> user_assigned(State const& state) {
  std::vector<MachineIdentity> identities;
  for (auto const& reference : state.managed_identity_host.user_assigned) {
    auto identity = state.identity_by("clientId", reference);
    if (!identity) {
      identity = state.identity_by("id", reference);
    }
    if (identity) {
      identities.push_back({identity->property("principalId"),
                            identity->property("clientId"),
                            identity->resource->value("id", identity->key)});
    }
  }
  return identities;
}

[[noreturn]] void identity_not_found() {
  throw Refusal{400, "invalid_request", "Identity not found"};
}

// The identity the request asks for: by one selector, or the default one.
MachineIdentity
select_identity(State const& state, httplib::Request const& request, Selectors const& selectors) {
  std::vector<std::pair<std::string, std::string>> given; // field, value
  auto collect = [&](char const* parameter, std::string const& field) {
    if (request.has_param(parameter)) {
      given.emplace_back(field, request.get_param_value(parameter));
    }
  };
  collect(selectors.client_id, "client_id");
  collect(selectors.object_id, "object_id");
  for (char const* alias : selectors.aliases_of_object_id) {
    collect(alias, "object_id");
  }
  collect(selectors.resource_id, "resource_id");
  for (char const* alias : selectors.aliases_of_resource_id) {
    collect(alias, "resource_id");
  }
  if (given.size() > 1) {
    throw Refusal{400,
                  "invalid_request",
                  std::string("Only one of the query parameters ") + selectors.client_id + ", " +
                      selectors.object_id + " and " + selectors.resource_id +
                      " may be given to select an identity."};
  }
  auto const& system = state.managed_identity_host.system_assigned;
  auto const attached = user_assigned(state);
  if (given.empty()) {
    if (system) {
      return {system->object_id, system->client_id, {}};
    }
    if (attached.size() == 1) {
      return attached.front();
    }
    if (attached.size() > 1) {
      throw Refusal{400,
                    "invalid_request",
                    "Multiple user assigned identities exist, please specify the clientId / "
                    "resourceId of the identity in the token request"};
    }
    identity_not_found();
  }
  auto const& [field, value] = given.front();
  if (value.empty()) {
    identity_not_found();
  }
  if (system && field != "resource_id" &&
      iequals(field == "client_id" ? system->client_id : system->object_id, value)) {
    return {system->object_id, system->client_id, {}};
  }
  for (auto const& identity : attached) {
    std::string const& candidate = field == "client_id"   ? identity.client_id
                                   : field == "object_id" ? identity.object_id
                                                          : identity.resource_id;
    if (iequals(candidate, value)) {
      return identity;
    }
  }
  identity_not_found();
}

std::string required_query(httplib::Request const& request, char const* name) {
  std::string value = request.has_param(name) ? request.get_param_value(name) : std::string{};
  if (value.empty()) {
    throw Refusal{
        400, "invalid_request", std::string("Required query variable '") + name + "' is missing"};
  }
  return value;
}

void check_api_version(httplib::Request const& request, std::vector<std::string> const& accepted) {
  std::string const version = required_query(request, "api-version");
  if (std::find(accepted.begin(), accepted.end(), version) == accepted.end()) {
    std::string list;
    for (auto const& item : accepted) {
      list += (list.empty() ? "" : ", ") + item;
    }
    throw Refusal{400,
                  "invalid_request",
                  "Invalid value for the query variable 'api-version': '" + version +
                      "'. Supported: " + list + "."};
  }
}

// Issues the identity's token for `resource`; returns the access token and the record.
std::pair<std::string, IssuedToken>
issue(SimulatorContext& context, MachineIdentity const& identity, std::string const& resource) {
  auto const audience = known_resource(resource, context.base_url);
  if (!audience) {
    throw Refusal{400,
                  "invalid_resource",
                  "AADSTS500011: The resource principal named " + resource +
                      " was not found in the tenant named " + context.state.tenant_id +
                      ". This can happen if the application has not been installed by the "
                      "administrator of the tenant or consented to by any user in the tenant. You "
                      "might have sent your authentication request to the wrong tenant."};
  }
  IssuedToken token;
  token.object_id = identity.object_id;
  token.client_id = identity.client_id;
  token.tenant_id = context.state.tenant_id;
  token.audience = *audience;
  token.expires_at = std::chrono::system_clock::now() +
                     std::chrono::duration_cast<std::chrono::system_clock::duration>(
                         context.options.token_lifetime);
  token.appidacr = '2';
  token.identity_resource_id = identity.resource_id;
  return {issue_access_token(context, token), token};
}

void imds(SimulatorContext& context, httplib::Request const& request, httplib::Response& response) {
  if (request.has_header("X-Forwarded-For")) {
    throw Refusal{400,
                  "invalid_request",
                  "Requests with the X-Forwarded-For header are not allowed: the instance "
                  "metadata service only answers the machine itself"};
  }
  if (!iequals(request.get_header_value("Metadata"), "true")) {
    throw Refusal{400, "bad_request_102", "Required metadata header not specified"};
  }
  check_api_version(request, {"2018-02-01", "2019-08-01"});
  std::string const resource = required_query(request, "resource");
  std::lock_guard lock{context.mutex};
  MachineIdentity const identity = select_identity(
      context.state, request, {"client_id", "object_id", "msi_res_id", {}, {"mi_res_id"}});
  auto const [access_token, token] = issue(context, identity, resource);
  auto const now = unix_seconds(std::chrono::system_clock::now());
  auto const lifetime =
      std::to_string(static_cast<long long>(std::ceil(context.options.token_lifetime.count())));
  send_json(response,
            200,
            {{"access_token", access_token},
             {"client_id", identity.client_id},
             {"expires_in", lifetime},
             {"expires_on", std::to_string(unix_seconds(token.expires_at))},
             {"ext_expires_in", lifetime},
             {"not_before", std::to_string(now)},
             {"resource", resource},
             {"token_type", "Bearer"}});
}

void app_service(SimulatorContext& context,
                 httplib::Request const& request,
                 httplib::Response& response) {
  if (!request.has_header("X-IDENTITY-HEADER")) {
    throw Refusal{400,
                  "invalid_request",
                  "The X-IDENTITY-HEADER header is required; send the value of IDENTITY_HEADER"};
  }
  if (request.get_header_value("X-IDENTITY-HEADER") != context.identity_header) {
    throw Refusal{401,
                  "unauthorized_client",
                  "The X-IDENTITY-HEADER header does not match; send the value of IDENTITY_HEADER"};
  }
  check_api_version(request, {"2019-08-01"});
  std::string const resource = required_query(request, "resource");
  std::lock_guard lock{context.mutex};
  MachineIdentity const identity =
      select_identity(context.state,
                      request,
                      {"client_id", "principal_id", "mi_res_id", {"object_id"}, {"msi_res_id"}});
  auto const [access_token, token] = issue(context, identity, resource);
  send_json(response,
            200,
            {{"access_token", access_token},
             {"expires_on", std::to_string(unix_seconds(token.expires_at))},
             {"resource", resource},
             {"token_type", "Bearer"},
             {"client_id", identity.client_id}});
}

} // namespace

void handle_managed_identity(SimulatorContext& context,
                             httplib::Request const& request,
                             httplib::Response& response) {
  try {
    bool const is_imds = request.path == k_imds_path;
    bool const is_app_service = request.path == k_app_service_path;
    if (!is_imds && !is_app_service) {
      throw Refusal{404,
                    "not_found",
                    "No managed identity endpoint at " + request.path + "; the simulator serves " +
                        k_imds_path + " (IMDS) and " + k_app_service_path + " (App Service)"};
    }
    if (request.method != "GET") {
      throw Refusal{405, "invalid_request", "Only GET is allowed on " + request.path};
    }
    if (is_imds) {
      imds(context, request, response);
    } else {
      app_service(context, request, response);
    }
  } catch (Refusal const& refusal) {
    send_json(response,
              refusal.status,
              {{"error", refusal.error}, {"error_description", refusal.description}});
  }
}

} // namespace wisetup::sim
