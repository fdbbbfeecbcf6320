// Microsoft.Authorization/roleAssignments at any scope (reference section 5).
#include "sim/arm_handlers.hpp"
#include "sim/encoding.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

#include <array>
#include <regex>

namespace wisetup::sim {
namespace {

constexpr char const* k_assignment_type = "Microsoft.Authorization/roleAssignments";
constexpr char const* k_assignments_segment = "/providers/Microsoft.Authorization/roleAssignments/";

// Built-in roles the simulator knows: the Key Vault roles of section 5.2 and the general ones.
constexpr std::array<std::string_view, 13> k_builtin_roles{
    "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
    "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba", // Key Vault Certificate User
    "12338af0-0e69-4776-bea7-57ae8d297424", // Key Vault Crypto User
    "21090545-7ca7-4776-b22c-e363652d74d2", // Key Vault Reader
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer
    "a4417e6f-fecd-4de8-b567-7b0420556985", // Key Vault Certificates Officer
    "14b46e9e-c2b7-41b4-b07b-48a6ebf60603", // Key Vault Crypto Officer
    "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
    "f25e0fa2-a7c8-4377-a976-54943a77a395", // Key Vault Contributor
    "8b54135c-b56d-4d72-a534-26097cfdc8d8", // Key Vault Data Access Administrator
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
    "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
    "acdd72a7-3677-44a8-9f21-0b3b6f7b8a69", // Reader
};

constexpr std::array<std::string_view, 5> k_principal_types{
    "User", "Group", "ServicePrincipal", "ForeignGroup", "Device"};

std::string assignment_id(ArmCall const& call) {
  return call.params.at(0) + k_assignments_segment + call.params.at(1);
}

// The role GUID of a roleDefinitionId in subscription or tenant form, or "" when malformed.
std::string role_guid(std::string const& role_definition_id) {
  static std::regex const k_form{
      R"(^(/subscriptions/[^/]+)?/providers/Microsoft\.Authorization/roleDefinitions/([^/]+)$)",
      std::regex::icase};
  std::smatch match;
  if (!std::regex_match(role_definition_id, match, k_form)) {
    return {};
  }
  return to_lower(match[2].str());
}

std::string subscription_of(std::string const& scope) {
  static std::regex const k_subscription{R"(^/subscriptions/([^/]+))", std::regex::icase};
  std::smatch match;
  return std::regex_search(scope, match, k_subscription) ? match[1].str() : std::string{};
}

bool scope_at(std::string const& assignment, std::string const& query) {
  return iequals(assignment, query);
}

bool scope_above(std::string const& assignment, std::string const& query) {
  return istarts_with(query, assignment + "/");
}

bool scope_below(std::string const& assignment, std::string const& query) {
  return istarts_with(assignment, query + "/");
}

} // namespace

// 404 for a scope whose resource group or (known) resource does not exist.
void check_scope_exists(ArmCall& call, std::string const& scope) {
  static std::regex const k_group{R"(^/subscriptions/([^/]+)/resourceGroups/([^/]+)(/.*)?$)",
                                  std::regex::icase};
  std::smatch match;
  if (!std::regex_match(scope, match, k_group)) {
    return;
  }
  Subscription* subscription = call.state.subscription(match[1].str());
  std::string const group = match[2].str();
  if (subscription == nullptr || subscription->resource_groups.count(to_lower(group)) == 0) {
    throw ArmError(
        404, "ResourceGroupNotFound", "Resource group '" + group + "' could not be found.");
  }
  static std::regex const k_known_resource{
      R"(^/providers/(Microsoft\.(ContainerService/managedClusters|ManagedIdentity/userAssignedIdentities|KeyVault/vaults)/[^/]+)$)",
      std::regex::icase};
  std::smatch resource;
  std::string const rest = match[3].str();
  if (std::regex_match(rest, resource, k_known_resource) &&
      call.state.resources.count(to_lower(scope)) == 0) {
    throw_resource_not_found(resource[1].str(), group);
  }
}

ArmReply get_role_assignment(ArmCall& call) {
  auto const found = call.state.role_assignments.find(to_lower(assignment_id(call)));
  if (found == call.state.role_assignments.end()) {
    throw ArmError(404,
                   "RoleAssignmentNotFound",
                   "The role assignment '" + call.params.at(1) + "' is not found.");
  }
  return {200, found->second, {}};
}

ArmReply put_role_assignment(ArmCall& call) {
  std::string const& scope = call.params.at(0);
  std::string const& name = call.params.at(1);
  if (!is_guid(name)) {
    throw ArmError(400,
                   "InvalidRoleAssignmentId",
                   "The role assignment ID '" + name +
                       "' is not valid. The role assignment ID must be a GUID.");
  }
  nlohmann::json const body = call.body_object();
  check_scope_exists(call, scope);
  auto const properties = body.find("properties");
  if (properties == body.end() || !properties->is_object() ||
      !properties->contains("roleDefinitionId") || !(*properties)["roleDefinitionId"].is_string() ||
      !properties->contains("principalId") || !(*properties)["principalId"].is_string()) {
    throw ArmError(400,
                   "InvalidRequestContent",
                   "The request content was invalid and could not be deserialized: "
                   "'properties.roleDefinitionId and properties.principalId are required'.");
  }
  std::string const role_definition_id = (*properties)["roleDefinitionId"];
  std::string const principal_id = (*properties)["principalId"];
  std::string const role = role_guid(role_definition_id);
  if (role.empty() ||
      std::find(k_builtin_roles.begin(), k_builtin_roles.end(), role) == k_builtin_roles.end()) {
    throw ArmError(404,
                   "RoleDefinitionDoesNotExist",
                   "The specified role definition with ID '" +
                       (role.empty() ? role_definition_id : role) + "' does not exist.");
  }
  if (!is_guid(principal_id)) {
    throw ArmError(
        400, "InvalidPrincipalId", "A valid principal ID must be provided for role assignment.");
  }
  std::string principal_type;
  if (auto const type = properties->find("principalType");
      type != properties->end() && !type->is_null()) {
    if (!type->is_string() ||
        std::find(k_principal_types.begin(), k_principal_types.end(), type->get<std::string>()) ==
            k_principal_types.end()) {
      throw ArmError(400,
                     "InvalidRequestContent",
                     "The request content was invalid and could not be deserialized: "
                     "'principalType must be User, Group, ServicePrincipal, ForeignGroup or "
                     "Device'.");
    }
    principal_type = type->get<std::string>();
  }
  std::optional<std::string> const known_type = call.state.principal_type(principal_id);
  if (!known_type && principal_type.empty()) {
    std::string compact = to_lower(principal_id);
    compact.erase(std::remove(compact.begin(), compact.end(), '-'), compact.end());
    throw ArmError(400,
                   "PrincipalNotFound",
                   "Principal " + compact + " does not exist in the directory " +
                       call.state.tenant_id +
                       ". Check that you have the correct principal ID. If you are creating this "
                       "principal and then immediately assigning a role, this error might be "
                       "related to a replication delay. In this case, set the role assignment "
                       "principalType property to a value, such as ServicePrincipal, User, or "
                       "Group. See https://aka.ms/docs-principaltype");
  }
  if (known_type && !principal_type.empty() && *known_type != principal_type) {
    throw ArmError(400,
                   "UnmatchedPrincipalType",
                   "The PrincipalId '" + principal_id + "' has type '" + *known_type +
                       "', which is different from specified PrincipalType '" + principal_type +
                       "'.");
  }
  if (principal_type.empty()) {
    principal_type = *known_type;
  }

  std::string const key = to_lower(assignment_id(call));
  for (auto const& [other_key, other] : call.state.role_assignments) {
    nlohmann::json const& other_properties = other["properties"];
    bool const same_content = iequals(other_properties.value("scope", ""), scope) &&
                              role_guid(other_properties.value("roleDefinitionId", "")) == role &&
                              iequals(other_properties.value("principalId", ""), principal_id);
    if (other_key == key) {
      if (!same_content) {
        throw ArmError(409,
                       "RoleAssignmentUpdateNotPermitted",
                       "Tenant ID, application ID, principal ID, and scope are not allowed to be "
                       "updated.");
      }
      return {201, other, {}}; // identical re-PUT: success, unchanged (docs/simulator.md)
    }
    if (same_content) {
      std::string existing = to_lower(other.value("name", ""));
      existing.erase(std::remove(existing.begin(), existing.end(), '-'), existing.end());
      throw ArmError(409,
                     "RoleAssignmentExists",
                     "The role assignment already exists. The ID of the existing role assignment "
                     "is " +
                         existing + ".");
    }
  }
  std::string const subscription = subscription_of(scope);
  std::string const now = utc_precise(std::chrono::system_clock::now());
  nlohmann::json assignment = {{"id", assignment_id(call)},
                               {"name", name},
                               {"type", k_assignment_type},
                               {"properties",
                                {{"roleDefinitionId",
                                  "/subscriptions/" + subscription +
                                      "/providers/Microsoft.Authorization/roleDefinitions/" + role},
                                 {"principalId", principal_id},
                                 {"principalType", principal_type},
                                 {"scope", scope},
                                 {"condition", nullptr},
                                 {"conditionVersion", nullptr},
                                 {"createdOn", now},
                                 {"updatedOn", now},
                                 {"createdBy", call.caller.object_id},
                                 {"updatedBy", call.caller.object_id},
                                 {"delegatedManagedIdentityResourceId", nullptr},
                                 {"description", nullptr}}}};
  call.state.role_assignments[key] = assignment;
  return {201, std::move(assignment), {}};
}

ArmReply delete_role_assignment(ArmCall& call) {
  auto const found = call.state.role_assignments.find(to_lower(assignment_id(call)));
  if (found == call.state.role_assignments.end()) {
    return {204, nullptr, {}};
  }
  nlohmann::json deleted = std::move(found->second);
  call.state.role_assignments.erase(found);
  return {200, std::move(deleted), {}};
}

ArmReply list_role_assignments(ArmCall& call) {
  std::string const& scope = call.params.at(0);
  check_scope_exists(call, scope);
  std::string const filter = call.query("$filter");
  bool at_scope_only = false;
  std::string principal;
  if (!filter.empty()) {
    static std::regex const k_clause{
        R"(^\s*(atScope\(\)|principalId\s+eq\s+'([^']*)'|assignedTo\('([^']*)'\))\s*(and\s+|$))",
        std::regex::icase};
    std::string rest = filter;
    std::smatch match;
    while (!rest.empty() && std::regex_search(rest, match, k_clause)) {
      if (istarts_with(match[1].str(), "atScope")) {
        at_scope_only = true;
      } else {
        principal = match[2].matched ? match[2].str() : match[3].str();
      }
      rest = match.suffix();
    }
    if (!rest.empty()) {
      throw ArmError(400,
                     "UnsupportedQuery",
                     "The filter '" + filter +
                         "' is not supported. Supported filters are atScope(), principalId eq "
                         "'{id}' and assignedTo('{id}'), joined with 'and'.");
    }
  }
  auto value = nlohmann::json::array();
  for (auto const& [key, assignment] : call.state.role_assignments) {
    nlohmann::json const& properties = assignment["properties"];
    std::string const assigned_scope = properties.value("scope", "");
    bool const in_scope = scope_at(assigned_scope, scope) || scope_above(assigned_scope, scope) ||
                          (!at_scope_only && scope_below(assigned_scope, scope));
    if (in_scope &&
        (principal.empty() || iequals(properties.value("principalId", ""), principal))) {
      value.push_back(assignment);
    }
  }
  return {200, {{"value", std::move(value)}}, {}};
}

} // namespace wisetup::sim
