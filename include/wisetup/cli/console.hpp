#pragma once

#include <iosfwd>

namespace wisetup::cli {

/// The streams a command talks through, and whether a person is on the other end.
struct Console {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool interactive = false;     ///< stdin and stderr are terminals: prompts may be answered
  bool err_is_terminal = false; ///< progress may be rewritten in place
  bool out_is_terminal = false; ///< statuses may be in colour
};

} // namespace wisetup::cli
