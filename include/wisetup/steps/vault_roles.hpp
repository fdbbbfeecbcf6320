#pragma once

#include <wisetup/azure/key_vault_client.hpp>
#include <wisetup/azure/role_assignment_client.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace wisetup::steps {

/// A built-in Azure role of the Key Vault data plane.
struct VaultRole {
  std::string_view name;
  std::string_view id; ///< role definition GUID, the same in every cloud
};

/// The roles that grant, on an RBAC-mode vault, what the access-policy permissions grant:
/// get/list on secrets -> Key Vault Secrets User, on certificates -> Key Vault Certificate User,
/// on keys -> Key Vault Crypto User; any other permission of a kind -> that kind's Officer role.
[[nodiscard]] std::vector<VaultRole> roles_for(azure::VaultPermissions const& permissions);

/// Whether `assignment` assigns `role` (its role definition id ends with the role's GUID, in any
/// case), whatever its scope.
[[nodiscard]] bool assigns(azure::RoleAssignment const& assignment, VaultRole const& role);

/// Whether an assignment at `scope` applies to the whole vault: at the vault or above it (the
/// filtered list also returns assignments below it, on a single secret, which do not).
[[nodiscard]] bool covers_vault(std::string const& scope, std::string const& vault_id);

} // namespace wisetup::steps
