#include <wisetup/cli/text_reporter.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace wisetup::cli {
namespace {

/// A "no" at the prompt: the run was cancelled, nothing failed.
bool is_declined(workflow::StepReport const& report) {
  if (report.status != workflow::StepStatus::Failed || !report.error) {
    return false;
  }
  try {
    std::rethrow_exception(report.error);
  } catch (core::Declined const&) {
    return true;
  } catch (...) {
    return false;
  }
}

constexpr std::chrono::milliseconds k_log_progress_every{10'000};

/// SGR colour codes of the statuses: changes green, plans and cancellations yellow, failures
/// red, the rest plain.
std::string_view status_colour(workflow::StepStatus status, bool pending) {
  if (pending) {
    return "33";
  }
  switch (status) {
  case workflow::StepStatus::Created:
  case workflow::StepStatus::Updated:
  case workflow::StepStatus::Deleted:
    return "32";
  case workflow::StepStatus::Failed:
    return "31";
  case workflow::StepStatus::Skipped:
    return "2";
  default:
    return "";
  }
}

std::string paint(std::string const& text, std::string_view colour, bool enabled) {
  if (!enabled || colour.empty()) {
    return text;
  }
  return "\033[" + std::string(colour) + "m" + text + "\033[0m";
}

void row(std::ostream& out, std::string_view label, std::string_view value) {
  out << "  " << std::left << std::setw(22) << label << value << '\n';
}

} // namespace

std::string error_message(std::exception_ptr const& error) {
  if (!error) { // rethrowing a null exception_ptr is undefined
    return "unknown error (none was recorded)";
  }
  try {
    std::rethrow_exception(error);
  } catch (std::exception const& exception) {
    return exception.what();
  } catch (...) {
    return "unknown error";
  }
}

core::ExitCode error_exit_code(std::exception_ptr const& error) {
  if (!error) {
    return core::ExitCode::Unexpected;
  }
  try {
    std::rethrow_exception(error);
  } catch (core::Error const& known) {
    return known.exit_code();
  } catch (...) {
    return core::ExitCode::Unexpected;
  }
}

std::string format_duration(std::chrono::milliseconds duration) {
  std::ostringstream text;
  if (duration < std::chrono::milliseconds{1000}) {
    text << duration.count() << " ms";
  } else {
    text << std::fixed << std::setprecision(2) << static_cast<double>(duration.count()) / 1000.0
         << " s";
  }
  return text.str();
}

TextReporter::TextReporter(
    ConfirmationPrompt prompt, std::ostream& out, std::ostream& err, bool terminal, TextStyle style)
    : Reporter(std::move(prompt)), m_out(out), m_err(err), m_terminal(terminal), m_style(style) {}

void TextReporter::step_progress(std::string_view step,
                                 std::string_view status,
                                 std::chrono::milliseconds elapsed) {
  auto const seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
  if (prompting() || m_style.quiet) {
    return;
  }
  if (m_terminal) {
    m_err << "\r\033[K  " << step << ": " << status << " (" << seconds << " s)" << std::flush;
    m_progress_shown = true;
    return;
  }
  auto [last, inserted] = m_last_progress.try_emplace(std::string(step), elapsed);
  if (inserted || elapsed - last->second >= k_log_progress_every) {
    last->second = elapsed;
    m_err << "  " << step << ": " << status << " (" << seconds << " s)\n" << std::flush;
  }
}

void TextReporter::clear_progress() {
  if (m_progress_shown) {
    m_err << "\r\033[K" << std::flush;
    m_progress_shown = false;
  }
}

void TextReporter::step_finished(workflow::StepReport const& report) {
  clear_progress();
  if (m_style.quiet) {
    return;
  }
  bool const planned = report.status == workflow::StepStatus::Planned;
  bool const declined = is_declined(report);
  auto const word = planned    ? std::string(to_string(report.drift))
                    : declined ? std::string("cancelled")
                               : std::string(to_string(report.status));
  // Padded before painting, so that the escape codes do not count as width.
  std::ostringstream padded;
  padded << std::left << std::setw(12) << word;
  m_out << "  " << std::left << std::setw(22) << report.name
        << paint(padded.str(), status_colour(report.status, planned || declined), m_style.colour);
  if (declined) {
    m_out << "not confirmed";
  } else if (report.status == workflow::StepStatus::Failed) {
    m_out << "see the error below";
  } else {
    m_out << report.detail;
  }
  if (report.status != workflow::StepStatus::Skipped && !planned) {
    m_out << " (" << format_duration(report.duration) << ")";
  }
  m_out << '\n';
  if (planned || report.status == workflow::StepStatus::Updated) {
    for (auto const& change : report.changes) {
      m_out << "      " << change.field << ": "
            << (change.before.empty() ? "(none)" : change.before) << " -> "
            << (change.after.empty() ? "(none)" : change.after) << '\n';
    }
  }
  if (planned && report.warning) {
    m_out << "      warning: " << *report.warning << '\n';
  }
  m_out << std::flush;
}

void TextReporter::finish(RunSummary const& summary) {
  clear_progress();
  for (auto const& report : summary.steps) {
    if (report.status == workflow::StepStatus::Failed && !is_declined(report)) {
      m_err << "error: " << report.name << ": " << error_message(report.error) << '\n';
    }
  }
  if (!m_style.quiet) {
    m_out << '\n';
  }
  if (summary.exit_code == core::ExitCode::Declined) {
    m_out << "cancelled: nothing changed\n" << std::flush;
    return;
  }
  if (summary.interrupted) {
    finish_interrupted(summary);
    m_out << std::flush;
    return;
  }
  if (summary.plan_only) {
    finish_plan(summary);
    m_out << std::flush;
    return;
  }
  if (summary.identity) {
    row(m_out, "client id", summary.identity->client_id);
    row(m_out, "principal id", summary.identity->principal_id);
    row(m_out, "tenant id", summary.identity->tenant_id);
  }
  if (summary.issuer_url) {
    row(m_out, "OIDC issuer URL", *summary.issuer_url);
  }
  if (summary.vault_access) {
    row(m_out, "Key Vault access", *summary.vault_access);
  }
  if (summary.service_account_ready) {
    row(m_out, "service account", summary.kube_namespace + "/" + summary.service_account);
  }
  if (summary.federated_credential) {
    row(m_out, "federated credential", summary.federated_credential->name);
  }
  if (m_style.quiet) {
    m_out << std::flush; // the outputs above are all --quiet prints
    return;
  }
  if (summary.command == "disable") {
    finish_disable(summary);
  } else if (summary.exit_code == core::ExitCode::Ok) {
    m_out << "\nDone in " << format_duration(summary.duration) << ". Label the pods that run as "
          << summary.kube_namespace << "/" << summary.service_account
          << " with azure.workload.identity/use: \"true\" and set "
          << "serviceAccountName: " << summary.service_account << ".\n";
  } else {
    m_out << "\nFailed after " << format_duration(summary.duration)
          << "; fix the error above and re-run: completed steps are kept and not repeated.\n";
  }
  m_out << std::flush;
}

void TextReporter::finish_plan(RunSummary const& summary) {
  int creates = 0;
  int updates = 0;
  int deletes = 0;
  for (auto const& report : summary.steps) {
    if (report.status == workflow::StepStatus::Planned) {
      (report.drift == workflow::Drift::Create   ? creates
       : report.drift == workflow::Drift::Delete ? deletes
                                                 : updates) += 1;
    }
  }
  auto const apply_with = summary.command == "disable" ? "disable" : "enable";
  if (summary.exit_code != core::ExitCode::Ok && summary.exit_code != core::ExitCode::Pending) {
    m_out << "The plan is incomplete: fix the error above and run plan again. Nothing was "
             "changed.\n";
  } else if (creates + updates + deletes == 0) {
    m_out << "No changes. Nothing was changed.\n";
  } else {
    m_out << "Plan: " << creates << " to create, " << updates << " to update, " << deletes
          << " to delete. Nothing was changed; run `wi-setup " << apply_with << "` to apply.\n";
  }
}

void TextReporter::finish_interrupted(RunSummary const& summary) {
  std::vector<std::string> done;
  std::vector<std::string> not_done;
  for (auto const& report : summary.steps) {
    bool const finished = report.status == workflow::StepStatus::Created ||
                          report.status == workflow::StepStatus::Updated ||
                          report.status == workflow::StepStatus::Deleted ||
                          report.status == workflow::StepStatus::UpToDate ||
                          report.status == workflow::StepStatus::Planned;
    (finished ? done : not_done).push_back(report.name);
  }
  m_out << "Stopped: " << summary.interrupted->message << ", after "
        << format_duration(summary.duration)
        << ".\n  done:     " << (done.empty() ? "nothing" : core::join(done, ", "))
        << "\n  not done: " << (not_done.empty() ? "nothing" : core::join(not_done, ", "))
        << "\nRe-run `wi-setup " << summary.command
        << "` to resume: what is done is found in place and not repeated.\n";
}

void TextReporter::finish_disable(RunSummary const& summary) {
  if (summary.exit_code != core::ExitCode::Ok) {
    m_out << "\nFailed after " << format_duration(summary.duration)
          << "; fix the error above and re-run disable: what was removed stays removed.\n";
    return;
  }
  bool const changed =
      std::any_of(summary.steps.begin(), summary.steps.end(), [](auto const& report) {
        return report.status == workflow::StepStatus::Deleted ||
               report.status == workflow::StepStatus::Updated;
      });
  m_out << (changed ? "\nRemoved in " : "\nNothing to remove; checked in ")
        << format_duration(summary.duration)
        << ". The cluster's OIDC issuer and workload identity stay enabled.\n";
}

} // namespace wisetup::cli
