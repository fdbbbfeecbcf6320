#pragma once

#include <wisetup/cli/confirmation_prompt.hpp>
#include <wisetup/cli/run_summary.hpp>
#include <wisetup/workflow/runner.hpp>

namespace wisetup::cli {

/// Shows a run to its reader (a person at a terminal, a CI log, a program reading JSON) and asks
/// for confirmation through the prompt.
class Reporter : public workflow::RunObserver {
public:
  explicit Reporter(ConfirmationPrompt prompt) : m_prompt(std::move(prompt)) {}
  [[nodiscard]] bool confirm(std::string_view /*step*/, std::string_view question) override {
    return m_prompt.ask(question);
  }
  /// Called once, after the run (also after a failure).
  virtual void finish(RunSummary const& summary) = 0;

private:
  ConfirmationPrompt m_prompt;
};

} // namespace wisetup::cli
