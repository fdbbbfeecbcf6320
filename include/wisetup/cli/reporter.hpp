#pragma once

#include <wisetup/cli/confirmation_prompt.hpp>
#include <wisetup/cli/run_summary.hpp>
#include <wisetup/workflow/runner.hpp>

#include <atomic>

namespace wisetup::cli {

/// Shows a run to its reader (a person at a terminal, a CI log, a program reading JSON) and asks
/// for confirmation through the prompt.
class Reporter : public workflow::RunObserver {
public:
  explicit Reporter(ConfirmationPrompt prompt) : m_prompt(std::move(prompt)) {}
  [[nodiscard]] bool confirm(std::string_view /*step*/, std::string_view question) override {
    m_prompting = true;
    bool const answer = m_prompt.ask(question);
    m_prompting = false;
    return answer;
  }
  /// Called once, after the run (also after a failure).
  virtual void finish(RunSummary const& summary) = 0;

protected:
  /// A question is open: progress lines would overwrite it, so they wait.
  [[nodiscard]] bool prompting() const { return m_prompting; }

private:
  ConfirmationPrompt m_prompt;
  std::atomic<bool> m_prompting{false};
};

} // namespace wisetup::cli
