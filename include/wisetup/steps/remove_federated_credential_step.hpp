#pragma once

#include <wisetup/steps/service_step.hpp>

#include <vector>

namespace wisetup::steps {

/// disable, first: deletes our federated credential: the one of our name that federates our
/// service account, or any that federates it from this cluster's issuer. A credential of our
/// name that federates another subject belongs to another workload and stays. Publishes the
/// identity (if it exists) and the credentials that stay, for the steps after it.
class RemoveFederatedCredentialStep final : public ServiceStep {
public:
  explicit RemoveFederatedCredentialStep(Services const& services);
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;
  void publish_planned(workflow::RunState& state) override;
  [[nodiscard]] std::vector<workflow::AccessNeed>
  required_access(workflow::RunState const& state,
                  workflow::Observation const* observation) override;

private:
  azure::ResourceRef m_identity;
  std::vector<azure::FederatedCredential> m_ours;
};

} // namespace wisetup::steps
