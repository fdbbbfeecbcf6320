#pragma once

#include <wisetup/azure/arm_client.hpp>
#include <wisetup/azure/resource_ref.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wisetup::azure {

struct VaultPermissions {
  std::vector<std::string> keys;
  std::vector<std::string> secrets;
  std::vector<std::string> certificates;
};

struct AccessPolicy {
  std::string tenant_id;
  std::string object_id;
  VaultPermissions permissions;
};

struct KeyVault {
  std::string id; ///< /subscriptions/.../vaults/NAME
  std::string tenant_id;
  bool rbac_authorization = false; ///< properties.enableRbacAuthorization (absent = false)
  std::vector<AccessPolicy> access_policies;
  std::string vault_uri; ///< properties.vaultUri: "https://NAME.vault.azure.net/" (data plane)
};

/// Microsoft.KeyVault/vaults: GET and accessPolicies/add and /remove (never a vault PUT, which
/// would drop other principals' policies).
class KeyVaultClient {
public:
  static constexpr std::string_view k_api_version = "2023-07-01";
  explicit KeyVaultClient(ArmClient const& arm) : m_arm(arm) {}

  /// nullopt when the vault does not exist; absent permission lists read as empty. Throws what
  /// ArmClient throws.
  [[nodiscard]] std::optional<KeyVault> get(ResourceRef const& vault) const;
  /// PUT .../accessPolicies/add with one entry; merges into an existing entry of that principal.
  /// Throws what ArmClient throws.
  void add_access_policy(ResourceRef const& vault, AccessPolicy const& policy) const;
  /// PUT .../accessPolicies/remove with one entry (same body as add_access_policy): removes the
  /// listed permissions from that principal's entry. Throws what ArmClient throws.
  void remove_access_policy(ResourceRef const& vault, AccessPolicy const& policy) const;

private:
  ArmClient const& m_arm;
};

/// /subscriptions/S/resourceGroups/G/providers/Microsoft.KeyVault/vaults/N
[[nodiscard]] std::string key_vault_path(ResourceRef const& vault);

} // namespace wisetup::azure
