// GET and PUT Microsoft.ManagedIdentity/userAssignedIdentities (api-version in
// ManagedIdentityClient).
#include <wisetup/core/error.hpp>
#include <wisetup/steps/enable_reads.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/managed_identity_step.hpp>

namespace wisetup::steps {
namespace {

/// A server answer without the ids would only fail later, in another step: stop here instead.
azure::UserAssignedIdentity checked(azure::UserAssignedIdentity identity,
                                    azure::ResourceRef const& ref) {
  if (identity.client_id.empty() || identity.principal_id.empty() || identity.tenant_id.empty()) {
    throw core::Error("Azure returned the managed identity " + ref.name +
                          " without its clientId, principalId or tenantId; re-run in a minute",
                      core::ExitCode::ServiceError);
  }
  return identity;
}

} // namespace

ManagedIdentityStep::ManagedIdentityStep(Services const& services, bool location_from_cluster)
    : ServiceStep(services,
                  workflow::StepInfo{"identity",
                                     "create the user-assigned managed identity",
                                     {keys::identity.name,
                                      location_from_cluster ? keys::cluster_location.name
                                                            : keys::identity_location.name},
                                     {keys::managed_identity.name}}),
      m_location_from_cluster(location_from_cluster) {}

workflow::Observation ManagedIdentityStep::observe(workflow::RunState& state,
                                                   workflow::ProgressSink const& /*progress*/) {
  m_ref = state.get(keys::identity);
  m_location =
      state.get(m_location_from_cluster ? keys::cluster_location : keys::identity_location);
  auto const existing = m_services.read_ahead->get_or(
      reads::identity, [&] { return m_services.identities.get(m_ref); });
  if (existing) {
    auto identity = checked(*existing, m_ref);
    state.set(keys::managed_identity, identity);
    return {workflow::Drift::InSync, "exists, client id " + identity.client_id, {}, {}};
  }
  std::string const unknown{workflow::k_known_after_enable};
  return {workflow::Drift::Create,
          "will create " + m_ref.name + " in " + m_location,
          {},
          {{"name", "", m_ref.name},
           {"location", "", m_location},
           {"clientId", "", unknown},
           {"principalId", "", unknown}}};
}

void ManagedIdentityStep::publish_planned(workflow::RunState& state) {
  std::string const unknown{workflow::k_known_after_enable};
  state.set(keys::managed_identity,
            azure::UserAssignedIdentity{
                azure::identity_path(m_ref), m_ref.name, m_location, unknown, unknown, unknown});
}

std::string ManagedIdentityStep::apply(workflow::RunState& state,
                                       workflow::ProgressSink const& /*progress*/) {
  auto identity = checked(m_services.identities.create(m_ref, m_location), m_ref);
  // The first read of its credentials found no identity: read them while the cluster updates.
  reread_federated_credentials(m_services, m_ref);
  state.set(keys::managed_identity, identity);
  return "created in " + m_location + ", client id " + identity.client_id;
}

std::vector<workflow::AccessNeed>
ManagedIdentityStep::required_access(workflow::RunState const& state,
                                     workflow::Observation const* observation) {
  // A new identity is created in its resource group: the right must hold there.
  auto const identity = state.get(keys::identity);
  bool const creating = observation == nullptr || observation->drift == workflow::Drift::Create;
  return {{workflow::AccessNeed::Api::ResourceManager,
           creating ? azure::resource_group_path(identity) : azure::identity_path(identity),
           "Microsoft.ManagedIdentity/userAssignedIdentities/write"}};
}

} // namespace wisetup::steps
