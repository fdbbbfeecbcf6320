#pragma once

#include <wisetup/steps/service_step.hpp>

namespace wisetup::steps {

/// Step 1: turns on the OIDC issuer and workload identity of the AKS cluster with a
/// read-modify-write PUT (every other property kept), waiting first for any running operation.
/// Publishes the cluster's location as soon as it is read, and the cluster once enabled.
class ClusterFeaturesStep final : public ServiceStep {
public:
  explicit ClusterFeaturesStep(Services const& services);
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;
  void publish_planned(workflow::RunState& state) override;
  [[nodiscard]] std::vector<workflow::AccessNeed>
  required_access(workflow::RunState const& state,
                  workflow::Observation const* observation) override;

private:
  azure::ResourceRef m_ref;
  azure::ManagedCluster m_cluster;
};

} // namespace wisetup::steps
