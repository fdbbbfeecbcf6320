#pragma once

#include <wisetup/steps/services.hpp>
#include <wisetup/workflow/step.hpp>

namespace wisetup::steps {

/// Finds the Key Vault and its access mode. A step of its own so that a wrong vault name or
/// group is found before anything is written, while the identity that will be granted access
/// does not exist yet.
class KeyVaultStep final : public workflow::Step {
public:
  explicit KeyVaultStep(Services const& services);
  [[nodiscard]] workflow::StepInfo const& info() const override { return m_info; }
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;

private:
  Services const& m_services;
  workflow::StepInfo m_info;
};

} // namespace wisetup::steps
