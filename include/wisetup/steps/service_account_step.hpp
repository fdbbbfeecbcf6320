#pragma once

#include <wisetup/steps/service_step.hpp>

#include <memory>

namespace wisetup::steps {

/// Step 5: creates the namespace if missing and the ServiceAccount annotated with the identity's
/// client and tenant ids, or merge-patches only those annotations onto an existing one (its other
/// labels and annotations stay as they are). Reaches the API server with the cluster's user
/// credential.
class ServiceAccountStep final : public ServiceStep {
public:
  static constexpr std::string_view k_client_id_annotation = "azure.workload.identity/client-id";
  static constexpr std::string_view k_tenant_id_annotation = "azure.workload.identity/tenant-id";

  explicit ServiceAccountStep(Services const& services);
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
  nlohmann::json m_annotations;
  bool m_exists = false;
  bool m_namespace_exists = false;
};

} // namespace wisetup::steps
