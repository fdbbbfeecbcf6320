// Microsoft.KeyVault/vaults, api-version 2023-07-01: GET and PUT accessPolicies/add|remove. Never a
// PUT of the vault itself, which would replace every other principal's access policy.
#include "azure/json_fields.hpp"

#include <wisetup/azure/key_vault_client.hpp>

namespace wisetup::azure {
namespace {

using detail::string_at;
using detail::strings_at;

AccessPolicy parse_policy(nlohmann::json const& entry) {
  return AccessPolicy{string_at(entry, {"tenantId"}),
                      string_at(entry, {"objectId"}),
                      VaultPermissions{strings_at(entry, {"permissions", "keys"}),
                                       strings_at(entry, {"permissions", "secrets"}),
                                       strings_at(entry, {"permissions", "certificates"})}};
}

/// PUT .../accessPolicies/{kind} with one entry: the body add and remove share.
void update_access_policy(ArmClient const& arm,
                          ResourceRef const& vault,
                          AccessPolicy const& policy,
                          std::string_view kind) {
  nlohmann::json const entry{{"tenantId", policy.tenant_id},
                             {"objectId", policy.object_id},
                             {"permissions",
                              {{"keys", policy.permissions.keys},
                               {"secrets", policy.permissions.secrets},
                               {"certificates", policy.permissions.certificates}}}};
  nlohmann::json const body{{"properties", {{"accessPolicies", nlohmann::json::array({entry})}}}};
  (void)arm.send(http::Method::Put,
                 key_vault_path(vault) + "/accessPolicies/" + std::string(kind),
                 KeyVaultClient::k_api_version,
                 body);
}

} // namespace

std::string key_vault_path(ResourceRef const& vault) {
  return resource_path(vault, "Microsoft.KeyVault/vaults");
}

std::optional<KeyVault> KeyVaultClient::get(ResourceRef const& vault) const {
  auto const body = m_arm.get(key_vault_path(vault), k_api_version);
  if (!body) {
    return std::nullopt;
  }
  KeyVault result;
  result.id = string_at(*body, {"id"});
  result.tenant_id = string_at(*body, {"properties", "tenantId"});
  result.vault_uri = string_at(*body, {"properties", "vaultUri"});
  // Absent on vaults created before RBAC existed: those use access policies.
  result.rbac_authorization = detail::bool_at(*body, {"properties", "enableRbacAuthorization"});
  if (auto const* policies = detail::find_path(*body, {"properties", "accessPolicies"});
      policies != nullptr && policies->is_array()) {
    for (auto const& entry : *policies) {
      result.access_policies.push_back(parse_policy(entry));
    }
  }
  return result;
}

void KeyVaultClient::add_access_policy(ResourceRef const& vault, AccessPolicy const& policy) const {
  update_access_policy(m_arm, vault, policy, "add");
}

void KeyVaultClient::remove_access_policy(ResourceRef const& vault,
                                          AccessPolicy const& policy) const {
  update_access_policy(m_arm, vault, policy, "remove");
}

} // namespace wisetup::azure
