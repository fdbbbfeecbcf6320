// GET (list) and PUT userAssignedIdentities/{name}/federatedIdentityCredentials (api-version in
// ManagedIdentityClient).
#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/steps/federated_credential_step.hpp>
#include <wisetup/steps/keys.hpp>

#include <algorithm>

namespace wisetup::steps {
namespace {

std::string audiences_text(std::vector<std::string> const& audiences) {
  std::string text;
  for (auto const& audience : audiences) {
    text += (text.empty() ? "" : ", ") + audience;
  }
  return text;
}

} // namespace

FederatedCredentialStep::FederatedCredentialStep(Services const& services)
    : m_services(services), m_info{"federated-credential",
                                   "federate the identity with the service account",
                                   {keys::identity.name,
                                    keys::managed_identity.name,
                                    keys::issuer_url.name,
                                    keys::kube_namespace.name,
                                    keys::service_account.name,
                                    keys::federated_credential_name.name,
                                    keys::audience.name},
                                   {keys::federated_credential.name}} {}

workflow::Observation FederatedCredentialStep::observe(workflow::RunState& state,
                                                       workflow::ProgressSink const& /*progress*/) {
  m_identity = state.get(keys::identity);
  m_desired = {state.get(keys::federated_credential_name),
               state.get(keys::issuer_url),
               "system:serviceaccount:" + state.get(keys::kube_namespace) + ":" +
                   state.get(keys::service_account),
               {state.get(keys::audience)}};

  auto const existing = m_services.identities.list_federated_credentials(m_identity);
  auto const named = std::find_if(existing.begin(), existing.end(), [&](auto const& credential) {
    return credential.name == m_desired.name;
  });
  auto const same_pair =
      std::find_if(existing.begin(), existing.end(), [&](auto const& credential) {
        return credential.issuer == m_desired.issuer && credential.subject == m_desired.subject;
      });

  if (same_pair != existing.end()) {
    if (same_pair->audiences == m_desired.audiences) {
      state.set(keys::federated_credential, *same_pair);
      return {workflow::Drift::InSync,
              same_pair->name == m_desired.name
                  ? m_desired.subject + " already federated"
                  : m_desired.subject + " already federated by credential " + same_pair->name,
              {}};
    }
    if (same_pair->name != m_desired.name) {
      throw core::InvalidInput(
          "identity " + m_identity.name + " already has federated credential " + same_pair->name +
          " for this issuer and subject, with audience " + audiences_text(same_pair->audiences) +
          "; Azure allows one credential per issuer and subject: pass --audience " +
          audiences_text(same_pair->audiences) + " or delete that credential");
    }
  }
  if (named != existing.end()) {
    if (named->subject != m_desired.subject || named->issuer != m_desired.issuer) {
      // Most likely another cluster's (an identity shared by clusters, the same NS-SA name):
      // re-pointing it would cut that cluster's pods off.
      throw core::InvalidInput(
          "federated credential " + m_desired.name + " on identity " + m_identity.name +
          " already federates " + named->subject + " from issuer " + named->issuer +
          " (another cluster?); pick another name with --federated-credential "
          "($FEDERATED_IDENTITY_CREDENTIAL_NAME), or delete that credential if it is no longer "
          "used");
    }
    return {workflow::Drift::Update, "will update " + m_desired.name + "'s audience", {}};
  }
  if (existing.size() >= k_max_credentials) {
    throw core::InvalidInput("identity " + m_identity.name + " already has " +
                             std::to_string(existing.size()) +
                             " federated credentials, the most Azure allows; delete one first");
  }
  return {workflow::Drift::Create, "will create " + m_desired.name, {}};
}

std::string FederatedCredentialStep::apply(workflow::RunState& state,
                                           workflow::ProgressSink const& /*progress*/) {
  azure::FederatedCredential written;
  for (int attempt = 1;; ++attempt) {
    try {
      written = m_services.identities.put_federated_credential(m_identity, m_desired);
      break;
    } catch (http::ServiceError const& error) {
      // Azure refuses concurrent credential writes under one identity with 409 (another run
      // wiring another service account to the same identity): wait and write again.
      if (error.fault().status != 409 || attempt == k_write_attempts) {
        throw;
      }
      m_services.clock->sleep_for(std::chrono::seconds{attempt});
    }
  }
  state.set(keys::federated_credential, written);
  return written.name + ": " + written.subject;
}

} // namespace wisetup::steps
