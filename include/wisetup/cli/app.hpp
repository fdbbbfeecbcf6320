#pragma once

namespace wisetup::cli {

/// The whole program: parses argv, runs the subcommand, prints errors, returns the exit code.
/// The only place an exception becomes an exit code.
[[nodiscard]] int run_app(int argc, char const* const* argv);

} // namespace wisetup::cli
