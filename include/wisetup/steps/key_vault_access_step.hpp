#pragma once

#include <wisetup/steps/service_step.hpp>
#include <wisetup/steps/vault_roles.hpp>

#include <vector>

namespace wisetup::steps {

/// Step 4: lets the identity read the Key Vault. In access-policy mode it adds the missing
/// permissions with accessPolicies/add (other principals' policies are never touched); in RBAC
/// mode it creates the equivalent role assignments at the vault's scope.
class KeyVaultAccessStep final : public ServiceStep {
public:
  explicit KeyVaultAccessStep(Services const& services);
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;
  void publish_planned(workflow::RunState& state) override;
  [[nodiscard]] std::vector<workflow::AccessNeed>
  required_access(workflow::RunState const& state,
                  workflow::Observation const* observation) override;

private:
  [[nodiscard]] workflow::Observation observe_access_policy(workflow::RunState& state);
  [[nodiscard]] workflow::Observation observe_role_assignments(workflow::RunState& state);

  azure::ResourceRef m_ref;
  azure::KeyVault m_vault;
  azure::UserAssignedIdentity m_identity;
  azure::VaultPermissions m_wanted;
  azure::VaultPermissions m_missing;      ///< access-policy mode
  std::vector<VaultRole> m_missing_roles; ///< RBAC mode
};

} // namespace wisetup::steps
