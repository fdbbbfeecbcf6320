#pragma once

#include <wisetup/steps/services.hpp>
#include <wisetup/workflow/step.hpp>

#include <optional>

namespace wisetup::steps {

/// Step 3: creates the user-assigned managed identity when it is missing and publishes its client
/// id, principal id and tenant id. Its location is --location, or else the cluster's.
class ManagedIdentityStep final : public workflow::Step {
public:
  ManagedIdentityStep(Services const& services, bool location_from_cluster);
  [[nodiscard]] workflow::StepInfo const& info() const override { return m_info; }
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;
  void publish_planned(workflow::RunState& state) override;
  [[nodiscard]] std::vector<workflow::AccessNeed>
  required_access(workflow::RunState const& state,
                  workflow::Observation const* observation) override;

private:
  Services const& m_services;
  bool m_location_from_cluster;
  workflow::StepInfo m_info;
  azure::ResourceRef m_ref;
  std::string m_location;
};

} // namespace wisetup::steps
