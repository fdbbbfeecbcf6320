#pragma once

#include <wisetup/azure/arm_client.hpp>

#include <string>
#include <vector>

namespace wisetup::azure {

struct RoleAssignment {
  std::string id;
  std::string name;
  std::string scope;
  std::string role_definition_id; ///< full id: /subscriptions/S/providers/.../roleDefinitions/G
  std::string principal_id;
  std::string principal_type;
};

/// Microsoft.Authorization/roleAssignments at a scope (a resource id).
class RoleAssignmentClient {
public:
  static constexpr std::string_view k_api_version = "2022-04-01";
  explicit RoleAssignmentClient(ArmClient const& arm) : m_arm(arm) {}

  /// Assignments of `principal_id` that apply at `scope`, inherited ones included ($filter=
  /// principalId eq '...', follows nextLink). Throws what ArmClient throws.
  [[nodiscard]] std::vector<RoleAssignment>
  list_for_principal(std::string const& scope, std::string const& principal_id) const;
  /// PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name_for(...)}; 409
  /// RoleAssignmentExists counts as done. Throws what ArmClient throws otherwise.
  void create(std::string const& scope,
              std::string const& role_definition_id,
              std::string const& principal_id,
              std::string const& principal_type) const;

  /// DELETE {assignment_id}?api-version (the `id` of a RoleAssignment); true when deleted
  /// (200/204), false when it was already gone (404). Throws core::InvalidInput when the id is
  /// not a role assignment id, what ArmClient throws otherwise.
  bool remove(std::string const& assignment_id) const;

  /// A stable GUID derived from scope, role and principal, so re-runs address the same name:
  /// UUID version 5 (SHA-1) over a fixed namespace and lowercase "scope|role|principal" (scope
  /// with one leading and no trailing '/'), formatted 8-4-4-4-12 in lower case.
  [[nodiscard]] static std::string name_for(std::string const& scope,
                                            std::string const& role_definition_id,
                                            std::string const& principal_id);

private:
  ArmClient const& m_arm;
};

} // namespace wisetup::azure
