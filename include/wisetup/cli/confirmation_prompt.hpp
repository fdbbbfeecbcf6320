#pragma once

#include <iosfwd>
#include <string_view>

namespace wisetup::cli {

/// Asks before a disruptive change: yes with --yes, the user's answer on a terminal, and no where
/// there is nobody to ask (a pipeline without --yes stops before any write).
class ConfirmationPrompt {
public:
  ConfirmationPrompt(bool assume_yes, bool interactive, std::istream& in, std::ostream& out)
      : m_assume_yes(assume_yes), m_interactive(interactive), m_in(in), m_out(out) {}
  [[nodiscard]] bool ask(std::string_view question);

private:
  bool m_assume_yes;
  bool m_interactive;
  std::istream& m_in;
  std::ostream& m_out;
};

} // namespace wisetup::cli
