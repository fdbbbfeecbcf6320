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

  /// Assignments of `principal_id` that apply at `scope` (follows nextLink).
  [[nodiscard]] std::vector<RoleAssignment>
  list_for_principal(std::string const& scope, std::string const& principal_id) const;
  /// PUT with a deterministic name (name_for); 409 RoleAssignmentExists counts as done.
  void create(std::string const& scope,
              std::string const& role_definition_id,
              std::string const& principal_id,
              std::string const& principal_type) const;

  /// A stable GUID derived from scope, role and principal, so re-runs address the same name.
  [[nodiscard]] static std::string name_for(std::string const& scope,
                                            std::string const& role_definition_id,
                                            std::string const& principal_id);

private:
  ArmClient const& m_arm;
};

} // namespace wisetup::azure
