#pragma once

#include <wisetup/cli/reporter.hpp>
#include <wisetup/cli/text_style.hpp>

#include <chrono>
#include <iosfwd>
#include <map>
#include <string>

namespace wisetup::cli {

/// Human-readable output: one line per step as it finishes, what a long step waits for while it
/// waits (rewritten in place on a terminal, a line every 10 s in a CI log), then the outputs and
/// the one thing left to do.
class TextReporter final : public Reporter {
public:
  TextReporter(ConfirmationPrompt prompt,
               std::ostream& out,
               std::ostream& err,
               bool terminal,
               TextStyle style = {});
  void step_progress(std::string_view step,
                     std::string_view status,
                     std::chrono::milliseconds elapsed) override;
  void step_finished(workflow::StepReport const& report) override;
  void finish(RunSummary const& summary) override;

private:
  void clear_progress();
  void finish_plan(RunSummary const& summary);
  void finish_disable(RunSummary const& summary);
  void finish_interrupted(RunSummary const& summary);

  std::ostream& m_out;
  std::ostream& m_err;
  bool m_terminal;
  TextStyle m_style;
  bool m_progress_shown = false;
  std::map<std::string, std::chrono::milliseconds, std::less<>> m_last_progress;
};

/// The message of a failed step's error.
[[nodiscard]] std::string error_message(std::exception_ptr const& error);

/// The exit code a failed step's error maps to.
[[nodiscard]] core::ExitCode error_exit_code(std::exception_ptr const& error);

/// "1.23 s" / "85 ms".
[[nodiscard]] std::string format_duration(std::chrono::milliseconds duration);

} // namespace wisetup::cli
