#pragma once

#include <wisetup/steps/service_step.hpp>

#include <optional>

namespace wisetup::steps {

/// Step 3: creates the user-assigned managed identity when it is missing and publishes its client
/// id, principal id and tenant id. Its location is --location, or else the cluster's.
class ManagedIdentityStep final : public ServiceStep {
public:
  ManagedIdentityStep(Services const& services, bool location_from_cluster);
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;
  void publish_planned(workflow::RunState& state) override;
  [[nodiscard]] std::vector<workflow::AccessNeed>
  required_access(workflow::RunState const& state,
                  workflow::Observation const* observation) override;

private:
  bool m_location_from_cluster;
  azure::ResourceRef m_ref;
  std::string m_location;
};

} // namespace wisetup::steps
