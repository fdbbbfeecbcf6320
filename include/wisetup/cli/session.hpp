#pragma once

#include <wisetup/azure/arm_client.hpp>
#include <wisetup/azure/key_vault_client.hpp>
#include <wisetup/azure/long_running_operation.hpp>
#include <wisetup/azure/managed_cluster_client.hpp>
#include <wisetup/azure/managed_identity_client.hpp>
#include <wisetup/azure/permissions_client.hpp>
#include <wisetup/azure/role_assignment_client.hpp>
#include <wisetup/cli/command_options.hpp>
#include <wisetup/cli/console.hpp>
#include <wisetup/cli/enable_inputs.hpp>
#include <wisetup/core/cloud.hpp>
#include <wisetup/core/environment.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/identity/process_runner.hpp>
#include <wisetup/steps/services.hpp>
#include <wisetup/workflow/run_state.hpp>
#include <wisetup/workflow/runner.hpp>

#include <chrono>
#include <memory>

namespace wisetup::cli {

/// Everything a subcommand needs to talk to Azure and the cluster, built once from the flags:
/// the validated inputs, the cloud, one transport, the credential, the pipelines and the typed
/// clients the steps share. The only place that assembles them, so every subcommand signs in and
/// connects the same way.
class Session {
public:
  /// `read_only` (plan, verify, dry runs): every pipeline refuses a request that could write.
  /// Throws core::Error for bad input, an unreadable cloud file or CA bundle, or no credential.
  Session(CommandOptions const& options, Console const& console, bool read_only);
  Session(Session const&) = delete;
  Session& operator=(Session const&) = delete;

  [[nodiscard]] CommandOptions const& options() const { return m_options; }
  [[nodiscard]] EnableInputs const& inputs() const { return m_inputs; }
  [[nodiscard]] core::Cloud const& cloud() const { return m_cloud; }
  [[nodiscard]] steps::Services const& services() const { return *m_services; }
  /// The check of the caller's rights before the first write; empty with --skip-access-check.
  [[nodiscard]] workflow::AccessCheck access_check() const;
  [[nodiscard]] std::shared_ptr<core::Clock> const& clock() const { return m_clock; }
  [[nodiscard]] std::shared_ptr<http::Transport> const& transport() const { return m_transport; }
  /// Whether the subscription came from the signed-in az profile (said in the first line).
  [[nodiscard]] bool subscription_from_az() const { return m_subscription_from_az; }
  /// A pipeline whose requests carry this session's token for `scope` (the Key Vault data plane).
  [[nodiscard]] std::shared_ptr<http::Pipeline> pipeline_for(std::string const& scope) const;
  /// A pipeline whose requests carry `credential`'s token for `scope` (verify, as the workload).
  [[nodiscard]] std::shared_ptr<http::Pipeline>
  pipeline_with(std::shared_ptr<http::TokenCredential const> credential,
                std::string const& scope) const;
  /// A pipeline without Authorization (public documents: OIDC discovery and JWKS).
  [[nodiscard]] std::shared_ptr<http::Pipeline> anonymous_pipeline() const;
  /// Sets the flags' values (cluster, identity, vault, namespace, ...) as the steps' input keys.
  void publish_inputs(workflow::RunState& state) const;
  /// When the run started, for the duration reported at the end.
  [[nodiscard]] std::chrono::steady_clock::time_point started() const { return m_started; }

private:
  std::chrono::steady_clock::time_point m_started;
  core::ProcessEnvironment m_environment;
  std::shared_ptr<identity::ProcessRunner const> m_process_runner;
  CommandOptions m_options;
  bool m_subscription_from_az = false;
  EnableInputs m_inputs;
  core::Cloud m_cloud;
  std::shared_ptr<core::Clock> m_clock;
  std::shared_ptr<http::Transport> m_transport;
  std::shared_ptr<http::TokenCredential const> m_credential;
  http::PipelineOptions m_pipeline_options;
  std::unique_ptr<azure::ArmClient> m_arm;
  std::unique_ptr<azure::LongRunningOperation> m_lro;
  std::unique_ptr<azure::ManagedClusterClient> m_clusters;
  std::unique_ptr<azure::ManagedIdentityClient> m_identities;
  std::unique_ptr<azure::KeyVaultClient> m_key_vaults;
  std::unique_ptr<azure::RoleAssignmentClient> m_role_assignments;
  std::unique_ptr<azure::PermissionsClient> m_permissions;
  std::unique_ptr<steps::Services> m_services;
};

} // namespace wisetup::cli
