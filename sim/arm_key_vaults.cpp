// Microsoft.KeyVault/vaults: GET, PUT (which replaces the access policies wholesale) and
// PUT .../accessPolicies/{add|replace|remove} (reference section 4).
#include "sim/arm_handlers.hpp"
#include "sim/encoding.hpp"
#include "sim/key_vault_data_plane.hpp"
#include "sim/random_values.hpp"

#include <array>
#include <regex>

namespace wisetup::sim {
namespace {

constexpr char const* k_vault_type = "Microsoft.KeyVault/vaults";
constexpr std::size_t k_max_policies_per_request = 16;
constexpr std::size_t k_max_policies_per_vault = 1024;

struct PermissionKind {
  char const* name;
  std::vector<std::string_view> allowed;
};

// The permission enums of the Key Vault spec (keys keep wrapKey/unwrapKey camel case).
std::array<PermissionKind, 4> const& permission_kinds() {
  static std::array<PermissionKind, 4> const k_kinds{{
      {"keys",
       {"all",
        "encrypt",
        "decrypt",
        "wrapKey",
        "unwrapKey",
        "sign",
        "verify",
        "get",
        "list",
        "create",
        "update",
        "import",
        "delete",
        "backup",
        "restore",
        "recover",
        "purge",
        "release",
        "rotate",
        "getrotationpolicy",
        "setrotationpolicy"}},
      {"secrets", {"all", "get", "list", "set", "delete", "backup", "restore", "recover", "purge"}},
      {"certificates",
       {"all",
        "get",
        "list",
        "delete",
        "create",
        "import",
        "update",
        "managecontacts",
        "getissuers",
        "listissuers",
        "setissuers",
        "deleteissuers",
        "manageissuers",
        "recover",
        "purge",
        "backup",
        "restore"}},
      {"storage",
       {"all",
        "get",
        "list",
        "delete",
        "set",
        "update",
        "regeneratekey",
        "recover",
        "purge",
        "backup",
        "restore",
        "setsas",
        "listsas",
        "getsas",
        "deletesas"}},
  }};
  return k_kinds;
}

std::string vault_key(ArmCall const& call) {
  return to_lower("/subscriptions/" + call.params.at(0) + "/resourcegroups/" + call.params.at(1) +
                  "/providers/microsoft.keyvault/vaults/" + call.params.at(2));
}

nlohmann::json& find_vault(ArmCall& call) {
  auto const found = call.state.resources.find(vault_key(call));
  if (found == call.state.resources.end()) {
    throw_resource_not_found("Microsoft.KeyVault/vaults/" + call.params.at(2), call.params.at(1));
  }
  return found->second;
}

[[noreturn]] void bad_request(std::string const& message, std::string const& target) {
  throw ArmError(400, "BadRequest", message, target);
}

// One access policy entry, validated; permission names keep the caller's spelling.
nlohmann::json validated_policy(nlohmann::json const& entry, std::string const& where) {
  if (!entry.is_object()) {
    bad_request("Invalid value found at " + where + ": an access policy must be an object.", where);
  }
  nlohmann::json policy = nlohmann::json::object();
  for (char const* field : {"tenantId", "objectId"}) {
    auto const found = entry.find(field);
    if (found == entry.end() || !found->is_string() || !is_guid(found->get<std::string>())) {
      bad_request("Invalid value found at " + where + "." + field + ": '" +
                      (found != entry.end() && found->is_string() ? found->get<std::string>()
                                                                  : std::string{}) +
                      "' is not a GUID.",
                  where + "." + field);
    }
    policy[field] = *found;
  }
  if (auto const application = entry.find("applicationId");
      application != entry.end() && !application->is_null()) {
    if (!application->is_string() || !is_guid(application->get<std::string>())) {
      bad_request("Invalid value found at " + where + ".applicationId: it must be a GUID.",
                  where + ".applicationId");
    }
    policy["applicationId"] = *application;
  }
  auto const permissions = entry.find("permissions");
  if (permissions == entry.end() || !permissions->is_object()) {
    bad_request("Invalid value found at " + where +
                    ".permissions: an object with keys, secrets, "
                    "certificates and/or storage lists is required.",
                where + ".permissions");
  }
  policy["permissions"] = nlohmann::json::object();
  for (auto const& [kind_name, list] : permissions->items()) {
    PermissionKind const* kind = nullptr;
    for (auto const& candidate : permission_kinds()) {
      if (kind_name == candidate.name) {
        kind = &candidate;
      }
    }
    if (kind == nullptr || !list.is_array()) {
      bad_request("Invalid value found at " + where + ".permissions." + kind_name +
                      ": expected one of keys, secrets, certificates, storage with a list of "
                      "permission names.",
                  where + ".permissions." + kind_name);
    }
    for (auto const& permission : list) {
      bool known = false;
      for (auto const allowed : kind->allowed) {
        known =
            known || (permission.is_string() && iequals(permission.get<std::string>(), allowed));
      }
      if (!known) {
        bad_request(
            "Invalid value found at " + where + ".permissions." + kind_name + ": '" +
                (permission.is_string() ? permission.get<std::string>() : permission.dump()) +
                "' is not a valid " + kind_name + " permission.",
            where + ".permissions." + kind_name);
      }
    }
    policy["permissions"][kind_name] = list;
  }
  return policy;
}

bool same_principal(nlohmann::json const& left, nlohmann::json const& right) {
  return iequals(left.value("tenantId", ""), right.value("tenantId", "")) &&
         iequals(left.value("objectId", ""), right.value("objectId", "")) &&
         iequals(left.value("applicationId", ""), right.value("applicationId", ""));
}

bool contains_permission(nlohmann::json const& list, std::string const& permission) {
  for (auto const& item : list) {
    if (item.is_string() && iequals(item.get<std::string>(), permission)) {
      return true;
    }
  }
  return false;
}

// add: union per list, case-insensitive, keeping the casing already stored.
void merge_permissions(nlohmann::json& target, nlohmann::json const& added) {
  for (auto const& [kind, list] : added.items()) {
    auto& existing = target[kind];
    if (!existing.is_array()) {
      existing = nlohmann::json::array();
    }
    for (auto const& permission : list) {
      if (!contains_permission(existing, permission.get<std::string>())) {
        existing.push_back(permission);
      }
    }
  }
}

// remove: difference per list; true when nothing is left.
bool subtract_permissions(nlohmann::json& target, nlohmann::json const& removed) {
  for (auto const& [kind, list] : removed.items()) {
    auto existing = target.find(kind);
    if (existing == target.end() || !existing->is_array()) {
      continue;
    }
    auto kept = nlohmann::json::array();
    for (auto const& permission : *existing) {
      if (!permission.is_string() || !contains_permission(list, permission.get<std::string>())) {
        kept.push_back(permission);
      }
    }
    *existing = std::move(kept);
  }
  for (auto const& [kind, list] : target.items()) {
    if (list.is_array() && !list.empty()) {
      return false;
    }
  }
  return true;
}

nlohmann::json validated_policy_list(nlohmann::json const& list, std::size_t minimum) {
  if (!list.is_array() || list.size() < minimum || list.size() > k_max_policies_per_vault) {
    bad_request("properties.accessPolicies must be an array of access policies.",
                "properties.accessPolicies");
  }
  auto policies = nlohmann::json::array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    policies.push_back(
        validated_policy(list[i], "properties.accessPolicies[" + std::to_string(i) + "]"));
  }
  return policies;
}

} // namespace

ArmReply get_vault(ArmCall& call) {
  return {200, find_vault(call), {}};
}

ArmReply put_vault(ArmCall& call) {
  nlohmann::json const body = call.body_object();
  static std::regex const k_name_rule{"^[a-zA-Z0-9-]{3,24}$"};
  if (!std::regex_match(call.params.at(2), k_name_rule)) {
    throw ArmError(400,
                   "VaultNameNotValid",
                   "The vault name '" + call.params.at(2) +
                       "' is invalid. A vault's name must be between 3-24 alphanumeric "
                       "characters. The name must begin with a letter, end with a letter or digit, "
                       "and not contain consecutive hyphens.",
                   "name");
  }
  std::string const location = required_location(body);
  std::string const key = vault_key(call);
  auto const found = call.state.resources.find(key);
  bool const created = found == call.state.resources.end();
  if (!created) {
    check_same_location(found->second, location, call.params.at(1));
  }
  auto const properties_in = body.find("properties");
  if (properties_in == body.end() || !properties_in->is_object()) {
    bad_request("The vault's properties are required.", "properties");
  }
  nlohmann::json properties = *properties_in;
  if (!properties.contains("tenantId") || !properties["tenantId"].is_string() ||
      !is_guid(properties["tenantId"].get<std::string>())) {
    bad_request("properties.tenantId must be the GUID of the vault's tenant.",
                "properties.tenantId");
  }
  if (!properties.contains("sku") || !properties["sku"].is_object()) {
    bad_request("properties.sku is required, e.g. {\"family\":\"A\",\"name\":\"standard\"}.",
                "properties.sku");
  }
  // Wholesale: whatever list the body carries (none = empty) replaces the stored one.
  properties["accessPolicies"] =
      validated_policy_list(properties.value("accessPolicies", nlohmann::json::array()), 0);
  if (!properties.contains("enableRbacAuthorization")) {
    properties["enableRbacAuthorization"] = call.api_version >= "2026-02-01";
  }
  properties["vaultUri"] = key_vault_uri(call.context.base_url, call.params.at(2));
  properties["provisioningState"] = "Succeeded";
  nlohmann::json tags = optional_tags(body);
  nlohmann::json vault = {{"id",
                           created ? "/subscriptions/" + call.params.at(0) + "/resourceGroups/" +
                                         call.params.at(1) +
                                         "/providers/Microsoft.KeyVault/vaults/" + call.params.at(2)
                                   : found->second.value("id", "")},
                          {"name", created ? call.params.at(2) : found->second.value("name", "")},
                          {"type", k_vault_type},
                          {"location", location},
                          {"tags", tags.is_null() ? nlohmann::json::object() : tags},
                          {"properties", std::move(properties)}};
  call.state.resources[key] = vault;
  return {created ? 201 : 200, std::move(vault), {}};
}

ArmReply put_access_policies(ArmCall& call) {
  std::string const operation = to_lower(call.params.at(3));
  if (operation != "add" && operation != "replace" && operation != "remove") {
    bad_request("The access policy operation kind '" + call.params.at(3) +
                    "' is invalid; use add, replace or remove.",
                "operationKind");
  }
  nlohmann::json const body = call.body_object();
  nlohmann::json& vault = find_vault(call);
  auto const properties = body.find("properties");
  if (properties == body.end() || !properties->is_object() ||
      !properties->contains("accessPolicies")) {
    bad_request("The request must contain properties.accessPolicies.", "properties.accessPolicies");
  }
  nlohmann::json const& list = (*properties)["accessPolicies"];
  if (!list.is_array() || list.empty() || list.size() > k_max_policies_per_request) {
    bad_request("properties.accessPolicies must hold 1 to 16 access policies per request.",
                "properties.accessPolicies");
  }
  nlohmann::json const requested = validated_policy_list(list, 1);

  nlohmann::json& stored = vault["properties"]["accessPolicies"];
  if (!stored.is_array()) {
    stored = nlohmann::json::array();
  }
  for (auto const& policy : requested) {
    auto entry = std::find_if(stored.begin(), stored.end(), [&](nlohmann::json const& existing) {
      return same_principal(existing, policy);
    });
    if (operation == "add") {
      if (entry == stored.end()) {
        if (stored.size() >= k_max_policies_per_vault) {
          bad_request("The vault already has the maximum of 1024 access policies.",
                      "properties.accessPolicies");
        }
        stored.push_back(policy);
      } else {
        merge_permissions((*entry)["permissions"], policy["permissions"]);
      }
    } else if (operation == "replace") {
      if (entry == stored.end()) {
        stored.push_back(policy);
      } else {
        (*entry)["permissions"] = policy["permissions"];
      }
    } else if (entry != stored.end() &&
               subtract_permissions((*entry)["permissions"], policy["permissions"])) {
      stored.erase(entry);
    }
  }
  return {200,
          {{"id", vault.value("id", "") + "/accessPolicies/" + operation},
           {"name", operation},
           {"type", "Microsoft.KeyVault/vaults/accessPolicies"},
           {"location", vault.value("location", "")},
           {"properties", {{"accessPolicies", requested}}}},
          {}};
}

} // namespace wisetup::sim
