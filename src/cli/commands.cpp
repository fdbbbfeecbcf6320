#include <wisetup/cli/build_info.hpp>
#include <wisetup/cli/choices.hpp>
#include <wisetup/cli/cli_reference.hpp>
#include <wisetup/cli/commands.hpp>
#include <wisetup/cli/common_options.hpp>

namespace wisetup::cli {
namespace {

using Runner = core::ExitCode (*)(CommandOptions const&, Console const&);

struct Command {
  CLI::App* app;
  CommandOptions& options;
};

/// Each subcommand binds its flags to options of its own: CLI11 applies the environment
/// fallbacks of every subcommand, also those not run, so options shared between subcommands
/// would let a sibling's $USER_ASSIGNED_IDENTITY_NAME overwrite the --identity given. When the
/// subcommand runs, its options become `current` (what run_app reports errors with).
Command add_command(CLI::App& app,
                    std::string const& name,
                    std::string const& description,
                    Console const& console,
                    std::shared_ptr<CommandOptions> const& current,
                    core::ExitCode& exit_code,
                    Runner run) {
  auto* command = app.add_subcommand(name, description);
  auto own = std::make_shared<CommandOptions>();
  add_target_options(*command, *own);
  add_common_options(*command, *own);
  command->callback([own, current, &console, &exit_code, run] {
    *current = *own;
    exit_code = run(*own, console);
  });
  return {command, *own};
}

/// The way out for principals whose rights the permissions API cannot see (ABAC conditions,
/// a Kubernetes authorizer that answers no SelfSubjectAccessReview).
void add_skip_access_check(CLI::App& command, CommandOptions& options) {
  command.add_flag("--skip-access-check",
                   options.skip_access_check,
                   "Do not ask Azure and the API server for the rights the changes need before the "
                   "first write (a missing right is then found by the request that needs it)");
}

} // namespace

void add_commands(CLI::App& app,
                  Console const& console,
                  std::shared_ptr<CommandOptions> options,
                  core::ExitCode& exit_code) {
  add_command(app,
              "plan",
              "Show what enable would change, step by step and field by field, without changing "
              "anything (every request that could write is refused). Exit 0: nothing to do; 8: "
              "changes pending.",
              console,
              options,
              exit_code,
              run_plan);

  auto enable = add_command(
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
  enable.app->add_flag(
      "--dry-run", enable.options.dry_run, "Show the plan and change nothing (the same as plan)");
  enable.app->add_flag(
      "--repair-issuer",
      enable.options.repair_issuer,
      "Re-point our federated credential at the cluster's current issuer URL (after "
      "the cluster was recreated)");
  add_skip_access_check(*enable.app, enable.options);
  enable.app->add_flag(
      "-y,--yes",
      enable.options.yes,
      "Confirm the cluster API server restart that enabling the OIDC issuer causes "
      "(needed where there is no terminal to ask on)");

  auto verify = add_command(app,
                            "verify",
                            "Check every link of the binding without writing and name the first "
                            "broken one with its fix. Exit 0: every link holds; 9: one is broken.",
                            console,
                            options,
                            exit_code,
                            run_verify);
  verify.app->add_flag(
      "--exchange",
      verify.options.exchange,
      "Prove it for real: get a service account token, exchange it at Entra for the "
      "identity's token and read the Key Vault with it");

  auto disable = add_command(
      app,
      "disable",
      "Undo enable, in reverse order and only what is ours: the federated credential, the "
      "annotations (the service account when wi-setup created it), the identity's vault grants "
      "and the identity. The cluster's features stay on.",
      console,
      options,
      exit_code,
      run_disable);
  disable.app->add_flag(
      "--keep-identity", disable.options.keep_identity, "Do not delete the managed identity");
  disable.app->add_flag(
      "--dry-run", disable.options.dry_run, "Show what would be removed and change nothing");
  add_skip_access_check(*disable.app, disable.options);

  // Generated from the definition above (which must be complete by the time they run).
  auto* completion = app.add_subcommand(
      "completion",
      "Print a shell completion script: bash (source it, or put it in "
      "/etc/bash_completion.d), zsh (into a directory of $fpath as _wi-setup) or fish (into "
      "~/.config/fish/completions/wi-setup.fish)");
  auto shell = std::make_shared<std::string>();
  completion->add_option("shell", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember(
          std::vector<std::string>(choices::k_shells.begin(), choices::k_shells.end())));
  completion->callback([&app, shell, &console] { console.out << completion_script(app, *shell); });
  // Hidden (no group): the build writes the manual page with it.
  auto* manual = app.add_subcommand("man", "Print the manual page (roff)");
  manual->group("");
  manual->callback([&app, &console] { console.out << man_page(app, build_info::k_version); });
  disable.app->add_flag("-y,--yes",
                        disable.options.yes,
                        "Confirm the removal (needed where there is no terminal to ask on)");
}

} // namespace wisetup::cli
