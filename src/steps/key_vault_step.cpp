// GET Microsoft.KeyVault/vaults (api-version in KeyVaultClient).
#include <wisetup/core/error.hpp>
#include <wisetup/steps/key_vault_step.hpp>
#include <wisetup/steps/keys.hpp>

namespace wisetup::steps {

KeyVaultStep::KeyVaultStep(Services const& services)
    : ServiceStep(services,
                  workflow::StepInfo{"keyvault",
                                     "find the Key Vault and its access mode",
                                     {keys::key_vault.name},
                                     {keys::found_key_vault.name}}) {}

workflow::Observation KeyVaultStep::observe(workflow::RunState& state,
                                            workflow::ProgressSink const& /*progress*/) {
  auto const ref = state.get(keys::key_vault);
  auto vault = m_services.key_vaults.get(ref);
  if (!vault) {
    throw core::InvalidInput("Key Vault " + ref.name + " not found in resource group " +
                             ref.resource_group + " of subscription " + ref.subscription +
                             "; check --keyvault ($KEYVAULT_NAME) and --keyvault-resource-group");
  }
  state.set(keys::found_key_vault, *vault);
  return {workflow::Drift::InSync,
          vault->rbac_authorization ? "RBAC authorization" : "access policies",
          {},
          {}};
}

std::string KeyVaultStep::apply(workflow::RunState& /*state*/,
                                workflow::ProgressSink const& /*progress*/) {
  return {}; // observe() never reports drift
}

} // namespace wisetup::steps
