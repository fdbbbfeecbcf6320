#pragma once

#include <wisetup/steps/service_step.hpp>

namespace wisetup::steps {

/// disable, last: deletes the user-assigned identity, after every other step has taken back what
/// was granted to it. Kept with --keep-identity, and always kept while other federated
/// credentials remain on it: they belong to other workloads.
class RemoveIdentityStep final : public ServiceStep {
public:
  RemoveIdentityStep(Services const& services, bool keep_identity, bool with_vault);
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;
  [[nodiscard]] std::vector<workflow::AccessNeed>
  required_access(workflow::RunState const& state,
                  workflow::Observation const* observation) override;

private:
  bool m_keep_identity;
  azure::ResourceRef m_ref;
};

} // namespace wisetup::steps
