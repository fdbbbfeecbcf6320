// DELETE Microsoft.ManagedIdentity/userAssignedIdentities/{name}.
#include <wisetup/core/text.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/remove_identity_step.hpp>

namespace wisetup::steps {
namespace {

std::vector<std::string_view> identity_step_reads(bool with_vault) {
  std::vector<std::string_view> names = {keys::identity.name,
                                         keys::found_identity.name,
                                         keys::other_credentials.name,
                                         keys::credential_removed.name,
                                         keys::service_account_unbound.name};
  if (with_vault) {
    names.push_back(keys::vault_access_removed.name);
  }
  return names;
}

} // namespace

RemoveIdentityStep::RemoveIdentityStep(Services const& services,
                                       bool keep_identity,
                                       bool with_vault)
    : ServiceStep(services,
                  workflow::StepInfo{"identity",
                                     "delete the user-assigned managed identity",
                                     identity_step_reads(with_vault),
                                     {}}),
      m_keep_identity(keep_identity) {}

workflow::Observation RemoveIdentityStep::observe(workflow::RunState& state,
                                                  workflow::ProgressSink const& /*progress*/) {
  m_ref = state.get(keys::identity);
  auto const identity = state.get(keys::found_identity);
  if (!identity) {
    return {workflow::Drift::InSync, m_ref.name + " does not exist", {}, {}};
  }
  if (m_keep_identity) {
    return {workflow::Drift::InSync, "kept (--keep-identity)", {}, {}};
  }
  auto const others = state.get(keys::other_credentials);
  if (!others.empty()) {
    std::vector<std::string> names;
    for (auto const& credential : others) {
      names.push_back(credential.name + " (" + credential.subject + ")");
    }
    return {workflow::Drift::InSync,
            "kept: other workloads still use it through " + std::to_string(others.size()) +
                " federated credential(s): " + core::join(names, ", "),
            {},
            {}};
  }
  return {workflow::Drift::Delete,
          "will delete " + m_ref.name + " (client id " + identity->client_id + ")",
          {},
          {{"userAssignedIdentities/" + m_ref.name, identity->client_id, ""}}};
}

std::string RemoveIdentityStep::apply(workflow::RunState& /*state*/,
                                      workflow::ProgressSink const& /*progress*/) {
  bool const deleted = m_services.identities.delete_identity(m_ref);
  return deleted ? "deleted " + m_ref.name : m_ref.name + " was already gone";
}

std::vector<workflow::AccessNeed>
RemoveIdentityStep::required_access(workflow::RunState const& state,
                                    workflow::Observation const* /*observation*/) {
  return {{workflow::AccessNeed::Api::ResourceManager,
           azure::identity_path(state.get(keys::identity)),
           "Microsoft.ManagedIdentity/userAssignedIdentities/delete"}};
}

} // namespace wisetup::steps
