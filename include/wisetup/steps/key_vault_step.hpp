#pragma once

#include <wisetup/steps/service_step.hpp>

namespace wisetup::steps {

/// Finds the Key Vault and its access mode. A step of its own so that a wrong vault name or
/// group is found before anything is written, while the identity that will be granted access
/// does not exist yet.
class KeyVaultStep final : public ServiceStep {
public:
  explicit KeyVaultStep(Services const& services);
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;

private:
};

} // namespace wisetup::steps
