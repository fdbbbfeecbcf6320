// With the vault the keyvault step found: PUT vaults/accessPolicies/add (access-policy mode) or
// GET+PUT Microsoft.Authorization/roleAssignments at the vault's scope (RBAC mode).
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/steps/key_vault_access_step.hpp>
#include <wisetup/steps/keys.hpp>

#include <algorithm>
#include <cctype>

namespace wisetup::steps {
namespace {

std::vector<std::string> missing_from(std::vector<std::string> const& wanted,
                                      std::vector<std::string> const& granted) {
  std::vector<std::string> missing;
  for (auto const& permission : wanted) {
    bool const present = std::any_of(granted.begin(), granted.end(), [&](auto const& existing) {
      return core::equals_ignoring_case(existing, permission);
    });
    if (!present) {
      missing.push_back(permission);
    }
  }
  return missing;
}

std::string describe(azure::VaultPermissions const& permissions) {
  std::string text;
  auto add = [&](std::string_view kind, std::vector<std::string> const& list) {
    if (list.empty()) {
      return;
    }
    std::string joined;
    for (auto const& permission : list) {
      joined += (joined.empty() ? "" : ",") + permission;
    }
    text += (text.empty() ? "" : "; ") + std::string(kind) + " " + joined;
  };
  add("keys", permissions.keys);
  add("secrets", permissions.secrets);
  add("certificates", permissions.certificates);
  return text;
}

std::string describe(std::vector<VaultRole> const& roles) {
  std::string text;
  for (auto const& role : roles) {
    text += (text.empty() ? "" : ", ") + std::string(role.name);
  }
  return text;
}

} // namespace

KeyVaultAccessStep::KeyVaultAccessStep(Services const& services)
    : ServiceStep(services,
                  workflow::StepInfo{"keyvault-access",
                                     "grant the identity access to the Key Vault",
                                     {keys::key_vault.name,
                                      keys::found_key_vault.name,
                                      keys::vault_permissions.name,
                                      keys::managed_identity.name},
                                     {keys::vault_access.name}}) {}

workflow::Observation KeyVaultAccessStep::observe(workflow::RunState& state,
                                                  workflow::ProgressSink const& /*progress*/) {
  m_ref = state.get(keys::key_vault);
  m_wanted = state.get(keys::vault_permissions);
  m_identity = state.get(keys::managed_identity);
  m_vault = state.get(keys::found_key_vault);
  return m_vault.rbac_authorization ? observe_role_assignments(state)
                                    : observe_access_policy(state);
}

workflow::Observation KeyVaultAccessStep::observe_access_policy(workflow::RunState& state) {
  azure::VaultPermissions granted;
  bool has_entry = false;
  for (auto const& policy : m_vault.access_policies) {
    if (core::equals_ignoring_case(policy.object_id, m_identity.principal_id) &&
        core::equals_ignoring_case(policy.tenant_id, m_vault.tenant_id)) {
      has_entry = true;
      auto append = [](auto& into, auto const& from) {
        into.insert(into.end(), from.begin(), from.end());
      };
      append(granted.keys, policy.permissions.keys);
      append(granted.secrets, policy.permissions.secrets);
      append(granted.certificates, policy.permissions.certificates);
    }
  }
  m_missing = {missing_from(m_wanted.keys, granted.keys),
               missing_from(m_wanted.secrets, granted.secrets),
               missing_from(m_wanted.certificates, granted.certificates)};
  if (m_missing.keys.empty() && m_missing.secrets.empty() && m_missing.certificates.empty()) {
    auto detail = "access policy grants " + describe(m_wanted);
    state.set(keys::vault_access, detail);
    return {workflow::Drift::InSync, detail, {}, {}};
  }
  std::vector<workflow::FieldChange> changes;
  auto const field = "accessPolicies[" + m_identity.principal_id + "].permissions.";
  auto change = [&](std::string_view kind, auto const& had, auto const& missing) {
    if (missing.empty()) {
      return;
    }
    auto after = had;
    after.insert(after.end(), missing.begin(), missing.end());
    changes.push_back({field + std::string(kind), core::join(had, ","), core::join(after, ",")});
  };
  change("keys", granted.keys, m_missing.keys);
  change("secrets", granted.secrets, m_missing.secrets);
  change("certificates", granted.certificates, m_missing.certificates);
  return {has_entry ? workflow::Drift::Update : workflow::Drift::Create,
          "will add access policy " + describe(m_missing),
          {},
          changes};
}

workflow::Observation KeyVaultAccessStep::observe_role_assignments(workflow::RunState& state) {
  // A plan for an identity that does not exist yet: it has no assignments to list.
  auto const assignments =
      workflow::is_known(m_identity.principal_id)
          ? m_services.role_assignments.list_for_principal(m_vault.id, m_identity.principal_id)
          : std::vector<azure::RoleAssignment>{};
  m_missing_roles.clear();
  auto wanted_roles = roles_for(m_wanted);
  for (auto const& role : wanted_roles) {
    bool const assigned =
        std::any_of(assignments.begin(), assignments.end(), [&](auto const& assignment) {
          return core::equals_ignoring_case(assignment.principal_id, m_identity.principal_id) &&
                 assigns(assignment, role) && covers_vault(assignment.scope, m_vault.id);
        });
    if (!assigned) {
      m_missing_roles.push_back(role);
    }
  }
  if (m_missing_roles.empty()) {
    auto detail = "RBAC vault: roles " + describe(wanted_roles) + " assigned";
    state.set(keys::vault_access, detail);
    return {workflow::Drift::InSync, detail, {}, {}};
  }
  std::vector<workflow::FieldChange> changes;
  for (auto const& role : m_missing_roles) {
    changes.push_back({"roleAssignments[" + m_identity.principal_id + "]",
                       "",
                       std::string(role.name) + " at " + m_vault.id});
  }
  return {workflow::Drift::Create, "will assign " + describe(m_missing_roles), {}, changes};
}

void KeyVaultAccessStep::publish_planned(workflow::RunState& state) {
  state.set(keys::vault_access,
            m_vault.rbac_authorization ? "RBAC vault: will assign " + describe(m_missing_roles)
                                       : "access policy: will add " + describe(m_missing));
}

std::string KeyVaultAccessStep::apply(workflow::RunState& state,
                                      workflow::ProgressSink const& /*progress*/) {
  std::string detail;
  if (m_vault.rbac_authorization) {
    for (auto const& role : m_missing_roles) {
      auto const role_definition_id = "/subscriptions/" + m_ref.subscription +
                                      "/providers/Microsoft.Authorization/roleDefinitions/" +
                                      std::string(role.id);
      m_services.role_assignments.create(
          m_vault.id, role_definition_id, m_identity.principal_id, "ServicePrincipal");
    }
    detail = "RBAC vault: assigned " + describe(m_missing_roles);
  } else {
    m_services.key_vaults.add_access_policy(
        m_ref, azure::AccessPolicy{m_vault.tenant_id, m_identity.principal_id, m_missing});
    detail = "access policy: added " + describe(m_missing);
  }
  state.set(keys::vault_access, detail);
  return detail;
}

std::vector<workflow::AccessNeed>
KeyVaultAccessStep::required_access(workflow::RunState const& state,
                                    workflow::Observation const* /*observation*/) {
  if (!state.has(keys::found_key_vault)) {
    return {};
  }
  auto const rbac = state.get(keys::found_key_vault).rbac_authorization;
  return {{workflow::AccessNeed::Api::ResourceManager,
           azure::key_vault_path(state.get(keys::key_vault)),
           rbac ? "Microsoft.Authorization/roleAssignments/write"
                : "Microsoft.KeyVault/vaults/accessPolicies/write"}};
}

} // namespace wisetup::steps
