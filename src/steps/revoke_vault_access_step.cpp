// GET Microsoft.KeyVault/vaults, then PUT vaults/accessPolicies/remove (access-policy mode) or
// GET + DELETE Microsoft.Authorization/roleAssignments at the vault's scope (RBAC mode).
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/revoke_vault_access_step.hpp>

#include <algorithm>

namespace wisetup::steps {
namespace {

/// The permissions of `wanted` that `held` contains (case-insensitive), as `held` spells them.
std::vector<std::string> held_of(std::vector<std::string> const& wanted,
                                 std::vector<std::string> const& held) {
  std::vector<std::string> found;
  for (auto const& permission : held) {
    if (std::any_of(wanted.begin(), wanted.end(), [&](auto const& ours) {
          return core::equals_ignoring_case(ours, permission);
        })) {
      found.push_back(permission);
    }
  }
  return found;
}

} // namespace

RevokeVaultAccessStep::RevokeVaultAccessStep(Services const& services)
    : ServiceStep(services,
                  workflow::StepInfo{"keyvault-access",
                                     "take back the identity's Key Vault grants",
                                     {keys::key_vault.name,
                                      keys::vault_permissions.name,
                                      keys::found_identity.name,
                                      keys::other_credentials.name},
                                     {keys::vault_access_removed.name}}) {}

workflow::Observation RevokeVaultAccessStep::observe(workflow::RunState& state,
                                                     workflow::ProgressSink const& /*progress*/) {
  m_ref = state.get(keys::key_vault);
  auto const identity = state.get(keys::found_identity);
  auto const wanted = state.get(keys::vault_permissions);
  auto in_sync = [&](std::string detail) {
    state.set(keys::vault_access_removed, detail);
    return workflow::Observation{workflow::Drift::InSync, std::move(detail), {}, {}};
  };
  if (!identity) {
    return in_sync("no identity, so no grant of its to take back");
  }
  // The identity stays while other workloads federate it, and they use its grants too.
  auto const others = state.get(keys::other_credentials);
  if (!others.empty()) {
    return in_sync("kept: the identity still federates " + std::to_string(others.size()) +
                   " other workload(s), which share its vault access");
  }
  m_principal_id = identity->principal_id;
  auto vault = m_services.key_vaults.get(m_ref);
  if (!vault) {
    return in_sync("Key Vault " + m_ref.name + " does not exist");
  }
  m_vault = *vault;
  std::vector<workflow::FieldChange> changes;
  if (m_vault.rbac_authorization) {
    m_assignments.clear();
    auto const roles = roles_for(wanted);
    for (auto& assignment :
         m_services.role_assignments.list_for_principal(m_vault.id, m_principal_id)) {
      bool const ours =
          core::equals_ignoring_case(assignment.principal_id, m_principal_id) &&
          core::equals_ignoring_case(core::without_trailing_slash(assignment.scope), m_vault.id) &&
          std::any_of(roles.begin(), roles.end(), [&](auto const& role) {
            return assigns(assignment, role);
          });
      if (ours) {
        changes.push_back(
            {"roleAssignments/" + assignment.name, assignment.role_definition_id, ""});
        m_assignments.push_back(std::move(assignment));
      }
    }
    if (m_assignments.empty()) {
      return in_sync("no role of ours assigned to the identity at the vault");
    }
    return {workflow::Drift::Delete,
            "will delete " + std::to_string(m_assignments.size()) + " role assignment(s)",
            {},
            changes};
  }
  m_granted = {};
  for (auto const& policy : m_vault.access_policies) {
    if (!core::equals_ignoring_case(policy.object_id, m_principal_id)) {
      continue;
    }
    auto add = [](auto& into, auto const& from) {
      into.insert(into.end(), from.begin(), from.end());
    };
    add(m_granted.keys, held_of(wanted.keys, policy.permissions.keys));
    add(m_granted.secrets, held_of(wanted.secrets, policy.permissions.secrets));
    add(m_granted.certificates, held_of(wanted.certificates, policy.permissions.certificates));
  }
  auto const field = "accessPolicies[" + m_principal_id + "].permissions.";
  auto change = [&](std::string_view kind, std::vector<std::string> const& held) {
    if (!held.empty()) {
      changes.push_back({field + std::string(kind), core::join(held, ","), ""});
    }
  };
  change("keys", m_granted.keys);
  change("secrets", m_granted.secrets);
  change("certificates", m_granted.certificates);
  if (changes.empty()) {
    return in_sync("the identity holds none of our permissions on the vault");
  }
  return {workflow::Drift::Delete, "will remove the identity's access policy", {}, changes};
}

std::string RevokeVaultAccessStep::apply(workflow::RunState& state,
                                         workflow::ProgressSink const& /*progress*/) {
  std::string detail;
  if (m_vault.rbac_authorization) {
    for (auto const& assignment : m_assignments) {
      (void)m_services.role_assignments.remove(assignment.id);
    }
    detail = "deleted " + std::to_string(m_assignments.size()) + " role assignment(s)";
  } else {
    m_services.key_vaults.remove_access_policy(
        m_ref, azure::AccessPolicy{m_vault.tenant_id, m_principal_id, m_granted});
    detail = "removed the identity's access policy";
  }
  state.set(keys::vault_access_removed, detail);
  return detail;
}

void RevokeVaultAccessStep::publish_planned(workflow::RunState& state) {
  state.set(keys::vault_access_removed, std::string("planned"));
}

std::vector<workflow::AccessNeed>
RevokeVaultAccessStep::required_access(workflow::RunState const& state,
                                       workflow::Observation const* observation) {
  bool const rbac = observation != nullptr ? m_vault.rbac_authorization
                    : state.has(keys::found_key_vault)
                        ? state.get(keys::found_key_vault).rbac_authorization
                        : false;
  return {{workflow::AccessNeed::Api::ResourceManager,
           azure::key_vault_path(state.get(keys::key_vault)),
           rbac ? "Microsoft.Authorization/roleAssignments/delete"
                : "Microsoft.KeyVault/vaults/accessPolicies/write"}};
}

} // namespace wisetup::steps
