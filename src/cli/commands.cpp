#include <wisetup/cli/commands.hpp>
#include <wisetup/cli/common_options.hpp>

namespace wisetup::cli {
namespace {

using Runner = core::ExitCode (*)(CommandOptions const&, Console const&);

CLI::App* add_command(CLI::App& app,
                      std::string const& name,
                      std::string const& description,
                      Console const& console,
                      std::shared_ptr<CommandOptions> const& options,
                      core::ExitCode& exit_code,
                      Runner run) {
  auto* command = app.add_subcommand(name, description);
  add_target_options(*command, *options);
  add_common_options(*command, *options);
  command->callback([options, &console, &exit_code, run] { exit_code = run(*options, console); });
  return command;
}

} // namespace

void add_commands(CLI::App& app,
                  Console const& console,
                  std::shared_ptr<CommandOptions> options,
                  core::ExitCode& exit_code) {
  auto& o = *options;
  add_command(app,
              "plan",
              "Show what enable would change, step by step and field by field, without changing "
              "anything (every request that could write is refused). Exit 0: nothing to do; 8: "
              "changes pending.",
              console,
              options,
              exit_code,
              run_plan);

  auto* enable = add_command(
      app,
      "enable",
      "Wire a Kubernetes service account to a new or existing user-assigned managed identity with "
      "Workload Identity: enable the OIDC issuer and workload identity on the AKS cluster, create "
      "the identity, grant it Key Vault access, create the annotated service account and the "
      "federated identity credential. Safe to re-run: it changes only what is missing.",
      console,
      options,
      exit_code,
      run_enable);
  enable->add_flag("--dry-run", o.dry_run, "Show the plan and change nothing (the same as plan)");
  enable->add_flag("--repair-issuer",
                   o.repair_issuer,
                   "Re-point our federated credential at the cluster's current issuer URL (after "
                   "the cluster was recreated)");
  enable->add_flag("-y,--yes",
                   o.yes,
                   "Confirm the cluster API server restart that enabling the OIDC issuer causes "
                   "(needed where there is no terminal to ask on)");

  auto* verify = add_command(app,
                             "verify",
                             "Check every link of the binding without writing and name the first "
                             "broken one with its fix. Exit 0: every link holds; 9: one is broken.",
                             console,
                             options,
                             exit_code,
                             run_verify);
  verify->add_flag("--exchange",
                   o.exchange,
                   "Prove it for real: get a service account token, exchange it at Entra for the "
                   "identity's token and read the Key Vault with it");

  auto* disable = add_command(
      app,
      "disable",
      "Undo enable, in reverse order and only what is ours: the federated credential, the "
      "annotations (the service account when wi-setup created it), the identity's vault grants "
      "and the identity. The cluster's features stay on.",
      console,
      options,
      exit_code,
      run_disable);
  disable->add_flag("--keep-identity", o.keep_identity, "Do not delete the managed identity");
  disable->add_flag("--dry-run", o.dry_run, "Show what would be removed and change nothing");
  disable->add_flag(
      "-y,--yes", o.yes, "Confirm the removal (needed where there is no terminal to ask on)");
}

} // namespace wisetup::cli
