#pragma once

#include <wisetup/cli/command_options.hpp>
#include <wisetup/cli/console.hpp>
#include <wisetup/core/environment.hpp>

namespace wisetup::cli {

/// How text output looks: statuses in colour, or nothing but errors and the final outputs.
struct TextStyle {
  bool colour = false;
  bool quiet = false;
};

/// Colour only when standard output is a terminal, and never with --no-color or NO_COLOR set
/// and not empty (no-color.org); quiet with --quiet.
[[nodiscard]] TextStyle text_style(CommandOptions const& options,
                                   Console const& console,
                                   core::Environment const& environment);

} // namespace wisetup::cli
