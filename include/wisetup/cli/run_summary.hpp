#pragma once

#include <wisetup/azure/managed_identity_client.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/core/stop_request.hpp>
#include <wisetup/workflow/runner.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wisetup::cli {

/// What a run of steps (plan, enable, disable) did and produced, for the reporters.
struct RunSummary {
  std::string command = "enable"; ///< plan, enable or disable
  bool plan_only = false;         ///< plan, or a --dry-run: observed only, nothing changed
  /// Stopped early by SIGINT, SIGTERM or the --timeout deadline: what it says, and the exit code.
  std::optional<core::StopReason> interrupted;
  std::vector<workflow::StepReport> steps;
  std::optional<azure::UserAssignedIdentity> identity;
  std::optional<std::string> issuer_url;
  std::optional<std::string> vault_access;
  std::string kube_namespace;
  std::string service_account;
  bool service_account_ready = false;
  std::optional<azure::FederatedCredential> federated_credential;
  core::ExitCode exit_code = core::ExitCode::Ok;
  std::chrono::milliseconds duration{0};
};

} // namespace wisetup::cli
