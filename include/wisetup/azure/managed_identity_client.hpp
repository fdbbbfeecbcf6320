#pragma once

#include <wisetup/azure/arm_client.hpp>
#include <wisetup/azure/resource_ref.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wisetup::azure {

struct UserAssignedIdentity {
  std::string id;
  std::string name;
  std::string location;
  std::string client_id;
  std::string principal_id;
  std::string tenant_id;
};

struct FederatedCredential {
  std::string name;
  std::string issuer;
  std::string subject;
  std::vector<std::string> audiences;
};

/// Microsoft.ManagedIdentity/userAssignedIdentities and their federatedIdentityCredentials.
/// Every call throws what ArmClient throws (http::ServiceError on refusal).
class ManagedIdentityClient {
public:
  static constexpr std::string_view k_api_version = "2023-01-31";
  explicit ManagedIdentityClient(ArmClient const& arm) : m_arm(arm) {}

  /// nullopt when the identity (or its resource group) does not exist.
  [[nodiscard]] std::optional<UserAssignedIdentity> get(ResourceRef const& identity) const;
  /// PUT {"location": ...}; synchronous (create or update).
  [[nodiscard]] UserAssignedIdentity create(ResourceRef const& identity,
                                            std::string const& location) const;
  /// Every credential of the identity (follows nextLink); a missing identity throws (404).
  [[nodiscard]] std::vector<FederatedCredential>
  list_federated_credentials(ResourceRef const& identity) const;
  /// PUT .../federatedIdentityCredentials/{name}; create or update.
  [[nodiscard]] FederatedCredential put_federated_credential(ResourceRef const& identity,
                                                             FederatedCredential const& fic) const;
  /// DELETE .../federatedIdentityCredentials/{name}; true when deleted (200/204), false when it
  /// was already gone (404). A missing resource group or parent identity reported as such
  /// (ResourceGroupNotFound, ParentResourceNotFound) throws.
  bool delete_federated_credential(ResourceRef const& identity, std::string const& name) const;
  /// DELETE of the identity (its federated credentials go with it; its role assignments stay);
  /// true when deleted (200/204), false when it was already gone (404). A missing resource group
  /// throws.
  bool delete_identity(ResourceRef const& identity) const;

private:
  ArmClient const& m_arm;
};

/// /subscriptions/S/resourceGroups/G/providers/Microsoft.ManagedIdentity/userAssignedIdentities/N
[[nodiscard]] std::string identity_path(ResourceRef const& identity);

} // namespace wisetup::azure
