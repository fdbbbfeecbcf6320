// GET and PUT Microsoft.ContainerService/managedClusters (api-version in ManagedClusterClient),
// following the update's long-running operation.
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/steps/cluster_features_step.hpp>
#include <wisetup/steps/keys.hpp>

namespace wisetup::steps {
namespace {

bool features_on(azure::ManagedCluster const& cluster) {
  return cluster.oidc_issuer_enabled && cluster.workload_identity_enabled &&
         !cluster.issuer_url.empty();
}

std::string cluster_name(azure::ResourceRef const& ref) {
  return "AKS cluster " + ref.name + " (resource group " + ref.resource_group + ")";
}

/// An operation that ended without success: its changes may be half applied.
bool ended_badly(azure::ManagedCluster const& cluster) {
  return core::equals_ignoring_case(cluster.provisioning_state, "Failed") ||
         core::equals_ignoring_case(cluster.provisioning_state, "Canceled");
}

std::string missing_features(azure::ManagedCluster const& cluster) {
  if (!cluster.oidc_issuer_enabled && !cluster.workload_identity_enabled) {
    return "the OIDC issuer and workload identity";
  }
  return cluster.oidc_issuer_enabled ? "workload identity" : "the OIDC issuer";
}

} // namespace

ClusterFeaturesStep::ClusterFeaturesStep(Services const& services)
    : ServiceStep(
          services,
          workflow::StepInfo{"cluster",
                             "enable the OIDC issuer and workload identity on the AKS cluster",
                             {keys::cluster.name},
                             {keys::cluster_location.name, keys::enabled_cluster.name}}) {}

workflow::Observation ClusterFeaturesStep::observe(workflow::RunState& state,
                                                   workflow::ProgressSink const& /*progress*/) {
  m_ref = state.get(keys::cluster);
  m_cluster = m_services.clusters.get(m_ref);
  state.set(keys::cluster_location, m_cluster.location);

  if (m_cluster.power_state == "Stopped") {
    throw core::Error(cluster_name(m_ref) +
                          " is stopped, so it can be neither updated nor reached; start it with "
                          "`az aks start` and re-run",
                      core::ExitCode::ServiceError);
  }
  if (features_on(m_cluster) && m_cluster.busy()) {
    // A re-run while an update runs (a retried CI job, overlapping pipelines): the features read
    // as on, but that update may still fail. Nothing counts as done until it has succeeded.
    return {workflow::Drift::Update,
            "an operation is running (" + m_cluster.provisioning_state +
                "): will wait for it to end",
            {},
            {}};
  }
  if (features_on(m_cluster) && ended_badly(m_cluster)) {
    return {workflow::Drift::Update,
            "the cluster's last operation ended " + m_cluster.provisioning_state +
                ": will apply the features again",
            {},
            {{"provisioningState", m_cluster.provisioning_state, "Succeeded"}}};
  }
  if (features_on(m_cluster)) {
    state.set(keys::enabled_cluster, m_cluster);
    return {workflow::Drift::InSync, "OIDC issuer and workload identity already enabled", {}, {}};
  }
  workflow::Observation observation{
      workflow::Drift::Update, "will enable " + missing_features(m_cluster), {}, {}};
  if (!m_cluster.oidc_issuer_enabled) {
    observation.changes.push_back({"oidcIssuerProfile.enabled", "false", "true"});
  }
  if (!m_cluster.workload_identity_enabled) {
    observation.changes.push_back({"securityProfile.workloadIdentity.enabled", "false", "true"});
  }
  if (!m_cluster.oidc_issuer_enabled) {
    observation.confirmation =
        "Enabling the OIDC issuer on " + cluster_name(m_ref) +
        " restarts its API server; pods that use service account tokens may need a restart "
        "afterwards, and the issuer cannot be disabled again.";
  }
  return observation;
}

std::string ClusterFeaturesStep::apply(workflow::RunState& state,
                                       workflow::ProgressSink const& progress) {
  if (m_cluster.busy()) {
    progress("waiting for the running " + m_cluster.provisioning_state + " operation to end",
             std::chrono::milliseconds{0});
    auto const running = m_cluster.provisioning_state;
    m_cluster = m_services.clusters.wait_until_idle(m_ref, progress);
    if (ended_badly(m_cluster)) {
      throw core::Error("the " + running + " operation that was running on " + cluster_name(m_ref) +
                            " ended " + m_cluster.provisioning_state +
                            ", so its changes may not have been applied; see its error with `az "
                            "aks show`, fix the cause and re-run",
                        core::ExitCode::ServiceError);
    }
    if (features_on(m_cluster)) {
      state.set(keys::enabled_cluster, m_cluster);
      return "the operation that was running enabled them";
    }
  }
  auto const enabled = features_on(m_cluster)
                           ? std::string("the OIDC issuer and workload identity again")
                           : missing_features(m_cluster);
  auto const update_progress = [&](std::string_view status, std::chrono::milliseconds elapsed) {
    progress("update " + std::string(status), elapsed);
  };
  auto updated = m_services.clusters.enable_workload_identity(m_ref, m_cluster, update_progress);
  if (!features_on(updated)) {
    throw core::Error("the update of " + cluster_name(m_ref) +
                          " finished, but the cluster still reports " + missing_features(updated) +
                          " as off or has no issuer URL; check `az aks show` and re-run",
                      core::ExitCode::ServiceError);
  }
  state.set(keys::enabled_cluster, updated);
  return "enabled " + enabled;
}

void ClusterFeaturesStep::publish_planned(workflow::RunState& state) {
  auto planned = m_cluster;
  planned.oidc_issuer_enabled = true;
  planned.workload_identity_enabled = true;
  if (planned.issuer_url.empty()) {
    planned.issuer_url = std::string(workflow::k_known_after_enable);
  }
  state.set(keys::enabled_cluster, planned);
}

std::vector<workflow::AccessNeed>
ClusterFeaturesStep::required_access(workflow::RunState const& state,
                                     workflow::Observation const* /*observation*/) {
  return {{workflow::AccessNeed::Api::ResourceManager,
           azure::managed_cluster_path(state.get(keys::cluster)),
           "Microsoft.ContainerService/managedClusters/write"}};
}

} // namespace wisetup::steps
