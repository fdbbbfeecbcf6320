#pragma once

#include <wisetup/steps/service_step.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace wisetup::steps {

/// disable, second: takes our client-id and tenant-id annotations off the service account. The
/// account itself is deleted only when wi-setup created it (its managed-by label) and nothing was
/// added since (no other label or annotation, no secrets); the delete carries its uid and
/// resourceVersion as preconditions, so a change made meanwhile keeps it. An account annotated
/// for another identity is not ours and stays as it is.
class UnbindServiceAccountStep final : public ServiceStep {
public:
  explicit UnbindServiceAccountStep(Services const& services);
  [[nodiscard]] workflow::Observation observe(workflow::RunState& state,
                                              workflow::ProgressSink const& progress) override;
  std::string apply(workflow::RunState& state, workflow::ProgressSink const& progress) override;
  void publish_planned(workflow::RunState& state) override;
  [[nodiscard]] std::vector<workflow::AccessNeed>
  required_access(workflow::RunState const& state,
                  workflow::Observation const* observation) override;

private:
  std::shared_ptr<kube::KubeClient> m_kube;
  std::string m_namespace;
  std::string m_name;
  nlohmann::json m_account;
  bool m_delete = false;
};

} // namespace wisetup::steps
