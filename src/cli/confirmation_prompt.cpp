#include <wisetup/cli/confirmation_prompt.hpp>

#include <istream>
#include <ostream>
#include <string>

namespace wisetup::cli {

bool ConfirmationPrompt::ask(std::string_view question) {
  if (m_assume_yes) {
    return true;
  }
  if (!m_interactive) {
    m_out << question << "\nNo terminal to ask on: pass --yes to confirm.\n";
    return false;
  }
  m_out << question << "\nContinue? [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(m_in, answer)) {
    return false;
  }
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES" || answer == "Yes";
}

} // namespace wisetup::cli
