// Builds the steps of `disable`: observes them all and shows what would be removed, asks once,
// then runs them for real (the identity last).
#include <wisetup/cli/ci_outputs.hpp>
#include <wisetup/cli/commands.hpp>
#include <wisetup/cli/json_reporter.hpp>
#include <wisetup/cli/session.hpp>
#include <wisetup/cli/text_reporter.hpp>
#include <wisetup/cli/text_style.hpp>
#include <wisetup/core/stop_request.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/remove_federated_credential_step.hpp>
#include <wisetup/steps/remove_identity_step.hpp>
#include <wisetup/steps/revoke_vault_access_step.hpp>
#include <wisetup/steps/unbind_service_account_step.hpp>

namespace wisetup::cli {
namespace {

workflow::Runner disable_steps(Session const& session) {
  auto const& services = session.services();
  bool const with_vault = session.inputs().key_vault.has_value();
  workflow::Runner runner;
  runner.add(std::make_unique<steps::RemoveFederatedCredentialStep>(services));
  runner.add(std::make_unique<steps::UnbindServiceAccountStep>(services));
  if (with_vault) {
    runner.add(std::make_unique<steps::RevokeVaultAccessStep>(services));
  }
  runner.add(std::make_unique<steps::RemoveIdentityStep>(
      services, session.options().keep_identity, with_vault));
  return runner;
}

/// A plan's reports: what each step found, said as it is found (text) and kept for the end.
class PlanCollector final : public workflow::RunObserver {
public:
  explicit PlanCollector(Reporter& shown) : m_shown(shown) {}
  void step_finished(workflow::StepReport const& report) override { m_shown.step_finished(report); }
  bool confirm(std::string_view /*step*/, std::string_view /*question*/) override { return true; }

private:
  Reporter& m_shown;
};

RunSummary summarize(std::vector<workflow::StepReport> reports, Session const& session) {
  RunSummary summary;
  summary.command = "disable";
  summary.kube_namespace = session.inputs().kube_namespace;
  summary.service_account = session.inputs().service_account;
  for (auto const& report : reports) {
    if (report.status == workflow::StepStatus::Failed && summary.exit_code == core::ExitCode::Ok) {
      summary.exit_code = error_exit_code(report.error);
    }
  }
  summary.interrupted = core::stop_request::reason();
  if (summary.interrupted) {
    summary.exit_code = summary.interrupted->code;
  }
  summary.steps = std::move(reports);
  summary.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - session.started());
  return summary;
}

bool anything_to_remove(std::vector<workflow::StepReport> const& reports) {
  return std::any_of(reports.begin(), reports.end(), [](auto const& report) {
    return report.status == workflow::StepStatus::Planned;
  });
}

} // namespace

core::ExitCode run_disable(CommandOptions const& options, Console const& console) {
  Session const session{options, console, options.dry_run};
  auto const& inputs = session.inputs();
  ConfirmationPrompt prompt{options.yes, console.interactive, console.in, console.err};
  bool const json = options.output == "json";
  std::unique_ptr<Reporter> reporter;
  if (json) {
    reporter = std::make_unique<JsonReporter>(prompt, console.out, console.err);
  } else {
    reporter =
        std::make_unique<TextReporter>(prompt,
                                       console.out,
                                       console.err,
                                       console.err_is_terminal,
                                       text_style(options, console, core::ProcessEnvironment{}));
    if (!options.quiet) {
      console.out << "wi-setup disable: identity " << inputs.identity.name << ", service account "
                  << inputs.kube_namespace << "/" << inputs.service_account << ", cluster "
                  << inputs.cluster.name << '\n';
    }
  }

  // First observe everything (no write), so that the question can name what goes.
  auto planning = disable_steps(session);
  workflow::RunState state;
  session.publish_inputs(state);
  PlanCollector collector{*reporter};
  workflow::RunOptions plan_only;
  plan_only.plan_only = true;
  auto plan = summarize(planning.run(state, collector, plan_only), session);
  plan.plan_only = options.dry_run;
  bool const pending = anything_to_remove(plan.steps);
  if (plan.exit_code != core::ExitCode::Ok || !pending || options.dry_run) {
    if (plan.exit_code == core::ExitCode::Ok && pending) {
      plan.exit_code = core::ExitCode::Pending;
    }
    reporter->finish(plan);
    return plan.exit_code;
  }
  plan.plan_only = true; // if declined, what is shown is a plan
  if (!prompt.ask("This removes what wi-setup enable made for " + inputs.kube_namespace + "/" +
                  inputs.service_account + " (listed above).")) {
    console.err << "cancelled: nothing changed\n";
    plan.exit_code = core::ExitCode::Declined;
    reporter->finish(plan);
    return plan.exit_code;
  }

  auto removing = disable_steps(session);
  workflow::RunState live_state;
  session.publish_inputs(live_state);
  workflow::RunOptions remove_options;
  remove_options.check_access = session.access_check();
  auto summary = summarize(removing.run(live_state, *reporter, remove_options), session);
  reporter->finish(summary);
  core::ProcessEnvironment const environment;
  publish_to_ci(
      summary, detect_ci(environment), environment, console.out, options.output == "json");
  return summary.exit_code;
}

} // namespace wisetup::cli
