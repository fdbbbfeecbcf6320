#pragma once

#include <wisetup/cli/command_options.hpp>

#include <CLI/CLI.hpp>

namespace wisetup::cli {

/// Where the binding lives: subscription, cluster, identity, vault, namespace, service account,
/// credential name and audience, each with its tutorial variable.
void add_target_options(CLI::App& command, CommandOptions& options);

/// The flags every command that talks to Azure shares: cloud, CA bundle, timeout, output, -v.
void add_common_options(CLI::App& command, CommandOptions& options);

} // namespace wisetup::cli
