#pragma once

#include <wisetup/steps/service_step.hpp>
#include <wisetup/steps/vault_roles.hpp>

#include <vector>

namespace wisetup::steps {

/// disable, third: takes back the vault grants enable gives, from this identity's principal only:
/// in an access-policy vault, accessPolicies/remove of the permissions we grant (others it was
/// given by hand stay); in an RBAC vault, its assignments of our roles at the vault's scope.
/// Other principals' policies and assignments are never touched, and nothing is taken back while
/// other workloads still federate the identity: they share its grants.
class RevokeVaultAccessStep final : public ServiceStep {
public:
  explicit RevokeVaultAccessStep(Services const& services);
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;
  void publish_planned(workflow::RunState& state) override;
  [[nodiscard]] std::vector<workflow::AccessNeed>
  required_access(workflow::RunState const& state,
                  workflow::Observation const* observation) override;

private:
  azure::ResourceRef m_ref;
  azure::KeyVault m_vault;
  std::string m_principal_id;
  azure::VaultPermissions m_granted; ///< access-policy mode: ours that the entry holds
  std::vector<azure::RoleAssignment> m_assignments; ///< RBAC mode: ours at the vault's scope
};

} // namespace wisetup::steps
