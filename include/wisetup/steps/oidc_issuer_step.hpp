#pragma once

#include <wisetup/workflow/step.hpp>

namespace wisetup::steps {

/// Step 2: reads the cluster's OIDC issuer URL, verbatim (trailing slash included: Entra compares
/// it with the token's `iss` as an exact string).
class OidcIssuerStep final : public workflow::Step {
public:
  OidcIssuerStep();
  [[nodiscard]] workflow::StepInfo const& info() const override { return m_info; }
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;

private:
  workflow::StepInfo m_info;
};

} // namespace wisetup::steps
