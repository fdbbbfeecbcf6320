#include <wisetup/cli/text_style.hpp>

namespace wisetup::cli {

TextStyle text_style(CommandOptions const& options,
                     Console const& console,
                     core::Environment const& environment) {
  // Environment::get treats an empty value as unset, which is what no-color.org asks.
  bool const no_color = options.no_color || environment.get("NO_COLOR").has_value();
  return {console.out_is_terminal && !no_color, options.quiet};
}

} // namespace wisetup::cli
