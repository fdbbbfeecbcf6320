// GET the cluster (its issuer URL) and the identity, GET (list) and DELETE
// userAssignedIdentities/{name}/federatedIdentityCredentials/{name}.
#include <wisetup/core/text.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/remove_federated_credential_step.hpp>

namespace wisetup::steps {

RemoveFederatedCredentialStep::RemoveFederatedCredentialStep(Services const& services)
    : ServiceStep(services,
                  workflow::StepInfo{"federated-credential",
                                     "delete our federated identity credential",
                                     {keys::cluster.name,
                                      keys::identity.name,
                                      keys::kube_namespace.name,
                                      keys::service_account.name,
                                      keys::federated_credential_name.name},
                                     {keys::found_identity.name,
                                      keys::other_credentials.name,
                                      keys::credential_removed.name}}) {}

workflow::Observation
RemoveFederatedCredentialStep::observe(workflow::RunState& state,
                                       workflow::ProgressSink const& /*progress*/) {
  m_identity = state.get(keys::identity);
  auto const found = m_services.identities.get(m_identity);
  state.set(keys::found_identity, found);
  if (!found) {
    state.set(keys::other_credentials, std::vector<azure::FederatedCredential>{});
    state.set(keys::credential_removed, std::string("no identity"));
    return {workflow::Drift::InSync,
            "identity " + m_identity.name + " does not exist: nothing is federated",
            {},
            {}};
  }
  auto const name = state.get(keys::federated_credential_name);
  auto const subject = "system:serviceaccount:" + state.get(keys::kube_namespace) + ":" +
                       state.get(keys::service_account);
  // The cluster's issuer finds our credential under another name (an existing pair that enable
  // reused). A cluster that is gone (404) or has no issuer leaves the search by name alone.
  std::string issuer;
  try {
    issuer = m_services.clusters.get(state.get(keys::cluster)).issuer_url;
  } catch (http::ServiceError const& error) {
    if (error.fault().status != 404) { // only a cluster that is gone; never hide another failure
      throw;
    }
  }

  m_ours.clear();
  std::vector<azure::FederatedCredential> others;
  for (auto& credential : m_services.identities.list_federated_credentials(m_identity)) {
    bool const by_name = credential.name == name && credential.subject == subject;
    bool const by_pair =
        !issuer.empty() && credential.issuer == issuer && credential.subject == subject;
    (by_name || by_pair ? m_ours : others).push_back(std::move(credential));
  }
  state.set(keys::other_credentials, others);
  if (m_ours.empty()) {
    state.set(keys::credential_removed, std::string("none"));
    return {workflow::Drift::InSync, "no credential federates " + subject, {}, {}};
  }
  std::vector<workflow::FieldChange> changes;
  std::vector<std::string> names;
  for (auto const& credential : m_ours) {
    changes.push_back({"federatedIdentityCredentials/" + credential.name,
                       credential.subject + " from " + credential.issuer,
                       ""});
    names.push_back(credential.name);
  }
  return {workflow::Drift::Delete, "will delete " + core::join(names, ", "), {}, changes};
}

std::string RemoveFederatedCredentialStep::apply(workflow::RunState& state,
                                                 workflow::ProgressSink const& /*progress*/) {
  std::vector<std::string> names;
  for (auto const& credential : m_ours) {
    // Azure refuses concurrent writes under one identity, so one at a time.
    bool const deleted =
        m_services.identities.delete_federated_credential(m_identity, credential.name);
    names.push_back(credential.name + (deleted ? "" : " (already gone)"));
  }
  auto detail = "deleted " + core::join(names, ", ");
  state.set(keys::credential_removed, detail);
  return detail;
}

void RemoveFederatedCredentialStep::publish_planned(workflow::RunState& state) {
  state.set(keys::credential_removed, std::string("planned"));
}

std::vector<workflow::AccessNeed>
RemoveFederatedCredentialStep::required_access(workflow::RunState const& state,
                                               workflow::Observation const* /*observation*/) {
  return {{workflow::AccessNeed::Api::ResourceManager,
           azure::identity_path(state.get(keys::identity)),
           "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete"}};
}

} // namespace wisetup::steps
