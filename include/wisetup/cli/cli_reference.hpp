#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

namespace wisetup::cli {

/// A completion script for `shell` (bash, zsh or fish) from the CLI definition `app`: the
/// subcommands, their flags, and the choices of --auth, --output, --cloud (names or files) and
/// the shells of `completion`. Throws core::InvalidInput for another shell.
[[nodiscard]] std::string completion_script(CLI::App const& app, std::string_view shell);

/// The manual page (roff, section 1) from the same definition: every subcommand with its flags,
/// their environment variables and defaults, the environment and the exit codes.
[[nodiscard]] std::string man_page(CLI::App const& app, std::string_view version);

} // namespace wisetup::cli
