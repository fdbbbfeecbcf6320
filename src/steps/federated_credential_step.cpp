// GET (list) and PUT userAssignedIdentities/{name}/federatedIdentityCredentials (api-version in
// ManagedIdentityClient).
#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/steps/enable_reads.hpp>
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

FederatedCredentialStep::FederatedCredentialStep(Services const& services, bool repair_issuer)
    : ServiceStep(services,
                  workflow::StepInfo{"federated-credential",
                                     "federate the identity with the service account",
                                     {keys::identity.name,
                                      keys::managed_identity.name,
                                      keys::issuer_url.name,
                                      keys::kube_namespace.name,
                                      keys::service_account.name,
                                      keys::federated_credential_name.name,
                                      keys::audience.name},
                                     {keys::federated_credential.name}}),
      m_repair_issuer(repair_issuer) {}

workflow::Observation FederatedCredentialStep::observe(workflow::RunState& state,
                                                       workflow::ProgressSink const& /*progress*/) {
  m_identity = state.get(keys::identity);
  m_desired = {state.get(keys::federated_credential_name),
               state.get(keys::issuer_url),
               "system:serviceaccount:" + state.get(keys::kube_namespace) + ":" +
                   state.get(keys::service_account),
               {state.get(keys::audience)}};
  std::vector<workflow::FieldChange> const created = {
      {"name", "", m_desired.name},
      {"issuer", "", m_desired.issuer},
      {"subject", "", m_desired.subject},
      {"audiences", "", audiences_text(m_desired.audiences)}};

  // A plan for an identity that does not exist yet: it has no credentials to compare with.
  if (!workflow::is_known(state.get(keys::managed_identity).client_id)) {
    return {workflow::Drift::Create, "will create " + m_desired.name, {}, created};
  }
  // Azure allows one credential per issuer and subject: this one federates us, or is in the way.
  auto const same_pair_in = [&](std::vector<azure::FederatedCredential> const& credentials) {
    return std::find_if(credentials.begin(), credentials.end(), [&](auto const& credential) {
      return credential.issuer == m_desired.issuer && credential.subject == m_desired.subject;
    });
  };
  auto const ahead = m_services.read_ahead->get(reads::federated_credentials);
  auto existing = ahead ? *ahead : m_services.identities.list_federated_credentials(m_identity);
  auto same_pair = same_pair_in(existing);
  bool const federated = same_pair != existing.end() && same_pair->audiences == m_desired.audiences;
  if (ahead && !federated) {
    // The list read ahead may be minutes old (read before the cluster update): a change is decided
    // on a fresh one, so that a credential another run wrote meanwhile is seen.
    existing = m_services.identities.list_federated_credentials(m_identity);
    same_pair = same_pair_in(existing);
  }
  auto const named = std::find_if(existing.begin(), existing.end(), [&](auto const& credential) {
    return credential.name == m_desired.name;
  });

  if (same_pair != existing.end()) {
    if (same_pair->audiences == m_desired.audiences) {
      state.set(keys::federated_credential, *same_pair);
      return {workflow::Drift::InSync,
              same_pair->name == m_desired.name
                  ? m_desired.subject + " already federated"
                  : m_desired.subject + " already federated by credential " + same_pair->name,
              {},
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
    if (named->subject != m_desired.subject) {
      // Most likely another cluster's (an identity shared by clusters, the same NS-SA name):
      // re-pointing it would cut that cluster's pods off.
      throw core::InvalidInput(
          "federated credential " + m_desired.name + " on identity " + m_identity.name +
          " already federates " + named->subject + " from issuer " + named->issuer +
          "; pick another name with --federated-credential "
          "($FEDERATED_IDENTITY_CREDENTIAL_NAME), or delete that credential if it is no longer "
          "used");
    }
    std::vector<workflow::FieldChange> changes;
    if (named->issuer != m_desired.issuer) {
      // Our name and subject under another issuer: most likely this cluster was recreated (a new
      // issuer URL), but it could be another cluster that shares the identity.
      if (!m_repair_issuer && workflow::is_known(m_desired.issuer)) {
        throw core::InvalidInput(
            "federated credential " + m_desired.name + " on identity " + m_identity.name +
            " federates " + named->subject + " from issuer " + named->issuer +
            ", but the cluster's issuer is " + m_desired.issuer +
            ". If the cluster was recreated, re-run with --repair-issuer to re-point it; if "
            "another cluster uses this credential, pick another name with "
            "--federated-credential");
      }
      changes.push_back({"issuer", named->issuer, m_desired.issuer});
    }
    if (named->audiences != m_desired.audiences) {
      changes.push_back(
          {"audiences", audiences_text(named->audiences), audiences_text(m_desired.audiences)});
    }
    return {workflow::Drift::Update,
            "will update " + m_desired.name + "'s " +
                (changes.front().field == "issuer" ? "issuer" : "audience"),
            {},
            changes};
  }
  if (existing.size() >= k_max_credentials) {
    throw core::InvalidInput("identity " + m_identity.name + " already has " +
                             std::to_string(existing.size()) +
                             " federated credentials, the most Azure allows; delete one first");
  }
  return {workflow::Drift::Create, "will create " + m_desired.name, {}, created};
}

void FederatedCredentialStep::publish_planned(workflow::RunState& state) {
  state.set(keys::federated_credential, m_desired);
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

std::vector<workflow::AccessNeed>
FederatedCredentialStep::required_access(workflow::RunState const& state,
                                         workflow::Observation const* /*observation*/) {
  // Before the identity exists (its step has not created it yet), ask at its resource group.
  auto const identity = state.get(keys::identity);
  return {{workflow::AccessNeed::Api::ResourceManager,
           state.has(keys::managed_identity) ? azure::identity_path(identity)
                                             : azure::resource_group_path(identity),
           "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write"}};
}

} // namespace wisetup::steps
