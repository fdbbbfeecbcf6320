// Builds the steps of `enable` and runs them; `plan` runs the same steps, observing only.
#include <wisetup/cli/ci_outputs.hpp>
#include <wisetup/cli/commands.hpp>
#include <wisetup/cli/json_reporter.hpp>
#include <wisetup/cli/session.hpp>
#include <wisetup/cli/text_reporter.hpp>
#include <wisetup/cli/text_style.hpp>
#include <wisetup/core/stop_request.hpp>
#include <wisetup/steps/cluster_features_step.hpp>
#include <wisetup/steps/enable_reads.hpp>
#include <wisetup/steps/federated_credential_step.hpp>
#include <wisetup/steps/key_vault_access_step.hpp>
#include <wisetup/steps/key_vault_step.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/managed_identity_step.hpp>
#include <wisetup/steps/oidc_issuer_step.hpp>
#include <wisetup/steps/service_account_step.hpp>

namespace wisetup::cli {
namespace {

void add_enable_steps(workflow::Runner& runner, Session const& session) {
  auto const& services = session.services();
  auto const& inputs = session.inputs();
  runner.add(std::make_unique<steps::ClusterFeaturesStep>(services));
  runner.add(std::make_unique<steps::OidcIssuerStep>());
  runner.add(std::make_unique<steps::ManagedIdentityStep>(services, !inputs.location.has_value()));
  if (inputs.key_vault) {
    runner.add(std::make_unique<steps::KeyVaultStep>(services));
    runner.add(std::make_unique<steps::KeyVaultAccessStep>(services));
  }
  runner.add(std::make_unique<steps::ServiceAccountStep>(services));
  runner.add(
      std::make_unique<steps::FederatedCredentialStep>(services, session.options().repair_issuer));
}

template <class T>
std::optional<T> output(workflow::RunState const& state, workflow::StateKey<T> const& key) {
  if (!state.has(key)) {
    return std::nullopt;
  }
  return state.get(key);
}

RunSummary summarize(std::vector<workflow::StepReport> reports,
                     workflow::RunState const& state,
                     EnableInputs const& inputs,
                     std::string_view command,
                     bool plan) {
  namespace keys = steps::keys;
  RunSummary summary;
  summary.command = command;
  summary.plan_only = plan;
  summary.identity = output(state, keys::managed_identity);
  summary.issuer_url = output(state, keys::issuer_url);
  summary.vault_access = output(state, keys::vault_access);
  summary.kube_namespace = inputs.kube_namespace;
  summary.service_account = inputs.service_account;
  summary.service_account_ready = state.has(keys::service_account_subject);
  summary.federated_credential = output(state, keys::federated_credential);
  bool pending = false;
  for (auto const& report : reports) {
    if (report.status == workflow::StepStatus::Failed && summary.exit_code == core::ExitCode::Ok) {
      summary.exit_code = error_exit_code(report.error);
    }
    pending = pending || report.status == workflow::StepStatus::Planned;
  }
  if (plan && pending && summary.exit_code == core::ExitCode::Ok) {
    summary.exit_code = core::ExitCode::Pending;
  }
  summary.interrupted = core::stop_request::reason();
  if (summary.interrupted) {
    summary.exit_code = summary.interrupted->code;
  }
  summary.steps = std::move(reports);
  return summary;
}

std::unique_ptr<Reporter> make_reporter(CommandOptions const& options, Console const& console) {
  ConfirmationPrompt const prompt{options.yes, console.interactive, console.in, console.err};
  if (options.output == "json") {
    return std::make_unique<JsonReporter>(prompt, console.out, console.err);
  }
  core::ProcessEnvironment const environment;
  return std::make_unique<TextReporter>(prompt,
                                        console.out,
                                        console.err,
                                        console.err_is_terminal,
                                        text_style(options, console, environment));
}

core::ExitCode run_steps(CommandOptions const& options,
                         Console const& console,
                         std::string_view command,
                         bool plan) {
  Session const session{options, console, plan};
  auto const& inputs = session.inputs();
  workflow::Runner runner;
  add_enable_steps(runner, session);
  workflow::RunState state;
  session.publish_inputs(state);

  auto reporter = make_reporter(session.options(), console);
  if (session.options().output != "json" && !session.options().quiet) {
    console.out << "wi-setup " << command << (plan && command != "plan" ? " --dry-run" : "")
                << ": cluster " << inputs.cluster.name << ", identity " << inputs.identity.name
                << ", service account " << inputs.kube_namespace << "/" << inputs.service_account
                << '\n';
    if (session.subscription_from_az()) {
      console.out << "  subscription " << inputs.cluster.subscription
                  << " (the default of the signed-in az profile)\n";
    }
    if (!inputs.key_vault) {
      console.out << "  (no --keyvault or $KEYVAULT_NAME: Key Vault access is not granted)\n";
    }
  }
  steps::start_enable_reads(session.services(), state);
  workflow::RunOptions run_options;
  run_options.plan_only = plan;
  run_options.check_access = session.access_check();
  auto summary = summarize(runner.run(state, *reporter, run_options), state, inputs, command, plan);
  summary.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - session.started());
  reporter->finish(summary);
  core::ProcessEnvironment const environment;
  publish_to_ci(
      summary, detect_ci(environment), environment, console.out, options.output == "json");
  if (session.services().read_ahead->in_flight()) {
    // The run ended before a step took what was read for it (a "no" at the prompt, a failure):
    // the run is over, and requests still in flight end within 0.1 s rather than hold the exit.
    core::stop_request::request({summary.exit_code, "the run is over"});
  }
  return summary.exit_code;
}

} // namespace

core::ExitCode run_plan(CommandOptions const& options, Console const& console) {
  return run_steps(options, console, "plan", true);
}

core::ExitCode run_enable(CommandOptions const& options, Console const& console) {
  return run_steps(options, console, "enable", options.dry_run);
}

} // namespace wisetup::cli
