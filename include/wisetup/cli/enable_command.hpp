#pragma once

#include <wisetup/cli/console.hpp>
#include <wisetup/cli/enable_options.hpp>
#include <wisetup/core/error.hpp>

#include <CLI/CLI.hpp>

#include <memory>

namespace wisetup::cli {

/// Registers `enable` and its flags (each with the tutorial's environment variable as fallback).
/// When the subcommand runs, its exit code is stored in `exit_code`.
void add_enable_command(CLI::App& app,
                        Console const& console,
                        std::shared_ptr<EnableOptions> options,
                        core::ExitCode& exit_code);

/// Runs `enable`: validates everything, then drives the six steps against Azure and the cluster.
/// Throws core::Error for failures before the steps start (input, cloud file, credential).
[[nodiscard]] core::ExitCode run_enable(EnableOptions const& options, Console const& console);

} // namespace wisetup::cli
