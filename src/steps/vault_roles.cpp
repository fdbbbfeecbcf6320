#include <wisetup/core/text.hpp>
#include <wisetup/steps/vault_roles.hpp>

#include <algorithm>
#include <cctype>

namespace wisetup::steps {
namespace {

// Role GUIDs of Azure's built-in Key Vault roles: Microsoft Learn, "Azure built-in roles"
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles, section Security).
constexpr VaultRole k_secrets_user{"Key Vault Secrets User",
                                   "4633458b-17de-408a-b874-0445c86b69e6"};
constexpr VaultRole k_secrets_officer{"Key Vault Secrets Officer",
                                      "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"};
constexpr VaultRole k_certificate_user{"Key Vault Certificate User",
                                       "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba"};
constexpr VaultRole k_certificates_officer{"Key Vault Certificates Officer",
                                           "a4417e6f-fecd-4de8-b567-7b0420556985"};
constexpr VaultRole k_crypto_user{"Key Vault Crypto User", "12338af0-0e69-4776-bea7-57ae8d297424"};
constexpr VaultRole k_crypto_officer{"Key Vault Crypto Officer",
                                     "14b46e9e-c2b7-41b4-b07b-48a6ebf60603"};

bool only_reads(std::vector<std::string> const& permissions) {
  return std::all_of(permissions.begin(), permissions.end(), [](std::string const& permission) {
    return core::equals_ignoring_case(permission, "get") ||
           core::equals_ignoring_case(permission, "list");
  });
}

void add_role(std::vector<VaultRole>& roles,
              std::vector<std::string> const& permissions,
              VaultRole const& reader,
              VaultRole const& officer) {
  if (!permissions.empty()) {
    roles.push_back(only_reads(permissions) ? reader : officer);
  }
}

} // namespace

std::vector<VaultRole> roles_for(azure::VaultPermissions const& permissions) {
  std::vector<VaultRole> roles;
  add_role(roles, permissions.keys, k_crypto_user, k_crypto_officer);
  add_role(roles, permissions.secrets, k_secrets_user, k_secrets_officer);
  add_role(roles, permissions.certificates, k_certificate_user, k_certificates_officer);
  return roles;
}

bool assigns(azure::RoleAssignment const& assignment, VaultRole const& role) {
  auto const id = core::to_lower(assignment.role_definition_id);
  return id.size() >= role.id.size() &&
         id.compare(id.size() - role.id.size(), role.id.size(), role.id) == 0;
}

bool covers_vault(std::string const& scope, std::string const& vault_id) {
  auto const assigned = core::to_lower(scope);
  auto const vault = core::to_lower(vault_id);
  return assigned == vault || assigned == "/" ||
         (vault.size() > assigned.size() && vault.compare(0, assigned.size(), assigned) == 0 &&
          vault[assigned.size()] == '/');
}

} // namespace wisetup::steps
