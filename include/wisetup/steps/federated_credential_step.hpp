#pragma once

#include <wisetup/steps/service_step.hpp>

namespace wisetup::steps {

/// Step 6: federates the identity with the service account: a credential whose issuer is the
/// cluster's issuer URL, subject system:serviceaccount:NS:SA and audience
/// api://AzureADTokenExchange (or --audience). Azure allows one credential per issuer and subject,
/// so an existing one for that pair is reused whatever its name.
class FederatedCredentialStep final : public ServiceStep {
public:
  /// Azure's limit of federated credentials on one identity.
  static constexpr std::size_t k_max_credentials = 20;
  /// Writes tried when Azure answers 409 to concurrent writes under the identity.
  static constexpr int k_write_attempts = 4;

  /// `repair_issuer`: our credential (our name and subject) whose issuer is not the cluster's (a
  /// recreated cluster) is re-pointed at the cluster's issuer; without it that is an error.
  FederatedCredentialStep(Services const& services, bool repair_issuer);
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;
  void publish_planned(workflow::RunState& state) override;
  [[nodiscard]] std::vector<workflow::AccessNeed>
  required_access(workflow::RunState const& state,
                  workflow::Observation const* observation) override;

private:
  bool m_repair_issuer;
  azure::ResourceRef m_identity;
  azure::FederatedCredential m_desired;
};

} // namespace wisetup::steps
