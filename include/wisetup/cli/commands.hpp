#pragma once

#include <wisetup/cli/command_options.hpp>
#include <wisetup/cli/console.hpp>
#include <wisetup/core/error.hpp>

#include <CLI/CLI.hpp>

#include <memory>

namespace wisetup::cli {

/// Registers plan, enable, verify and disable, which share the target flags (each with the
/// tutorial's environment variable as fallback) and the connection and output flags. When a
/// subcommand runs, its exit code is stored in `exit_code`.
void add_commands(CLI::App& app,
                  Console const& console,
                  std::shared_ptr<CommandOptions> options,
                  core::ExitCode& exit_code);

/// plan: observes every step and says what enable would change. Exit 0 (nothing), 8 (changes
/// pending) or an error's code.
[[nodiscard]] core::ExitCode run_plan(CommandOptions const& options, Console const& console);

/// enable: drives the steps against Azure and the cluster (with --dry-run: run_plan).
/// Throws core::Error for failures before the steps start (input, cloud file, credential).
[[nodiscard]] core::ExitCode run_enable(CommandOptions const& options, Console const& console);

/// verify: checks every link of the binding without writing. Exit 0 (all hold), 9 (a link is
/// broken) or an error's code.
[[nodiscard]] core::ExitCode run_verify(CommandOptions const& options, Console const& console);

/// disable: removes what enable made, in reverse order, and only what is ours.
[[nodiscard]] core::ExitCode run_disable(CommandOptions const& options, Console const& console);

} // namespace wisetup::cli
