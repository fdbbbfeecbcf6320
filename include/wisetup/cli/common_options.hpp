#pragma once

#include <wisetup/cli/enable_options.hpp>

#include <CLI/CLI.hpp>

namespace wisetup::cli {

/// The flags every command that talks to Azure shares: cloud, CA bundle, timeout, output, -v.
void add_common_options(CLI::App& command, EnableOptions& options);

} // namespace wisetup::cli
