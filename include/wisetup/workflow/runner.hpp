#pragma once

#include <wisetup/workflow/step.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace wisetup::workflow {

enum class StepStatus { Created, Updated, Deleted, UpToDate, Planned, Failed, Skipped };

[[nodiscard]] std::string_view to_string(StepStatus status);

struct StepReport {
  std::string name;
  StepStatus status = StepStatus::Skipped;
  std::string detail;
  std::chrono::milliseconds duration{0};
  std::exception_ptr error;             ///< set when status is Failed
  Drift drift = Drift::InSync;          ///< what observe() found (plans report it)
  std::vector<FieldChange> changes{};   ///< the fields a change sets or set
  std::optional<std::string> warning{}; ///< the confirmation question of a disruptive change
};

/// Starts `work` (the whole of one step) on a new thread; `step` names it. Like std::jthread's
/// constructor, it throws (std::system_error) when no thread can be made. A seam for tests.
using ThreadStarter =
    std::function<std::jthread(std::string_view step, std::function<void()> work)>;

/// A change the run is about to make: which step, and the rights it needs.
struct PendingChange {
  std::string_view step;
  std::vector<AccessNeed> needs;
};

/// Checks, before the first write, that the caller holds the rights of every pending change.
/// Returns one entry per change: null when nothing is known to be missing, else the error that
/// keeps it from being made (it names what is missing and where to grant it).
using AccessCheck =
    std::function<std::vector<std::exception_ptr>(std::vector<PendingChange> const& changes)>;

struct RunOptions {
  /// Observe only: no confirmation, no apply; a step with drift publishes its planned outputs
  /// so that the steps after it can observe too, and a failure does not stop independent steps.
  bool plan_only = false;
  /// How step threads start; empty: a std::jthread each. A step whose thread cannot start is
  /// reported Failed with that error (before any write, it stops the run as any failure does).
  ThreadStarter start_thread{};
  /// Asked once, when every step that can observe has observed and before anything is written,
  /// about the steps that will (or, not observed yet, may) change something. A refusal fails those
  /// steps and stops the run before any write. Empty: no check. Not asked in a plan.
  AccessCheck check_access{};
};

/// Hears about a run as it goes; called from the steps' threads. step_started, step_progress
/// and step_finished come one at a time; confirm calls come one at a time too (one prompt at a
/// time), but a notification about another step may arrive while a confirm waits for its
/// answer. An observer that throws from a notification loses that notification, nothing else;
/// one that throws from confirm fails that step.
class RunObserver {
public:
  virtual ~RunObserver() = default;
  virtual void step_started(std::string_view /*step*/) {}
  virtual void step_progress(std::string_view /*step*/,
                             std::string_view /*status*/,
                             std::chrono::milliseconds /*elapsed*/) {}
  virtual void step_finished(StepReport const& /*report*/) {}
  /// Asked before a disruptive change; false aborts the run before any write.
  [[nodiscard]] virtual bool confirm(std::string_view step, std::string_view question) = 0;
};

/// Runs steps, each on its own thread as soon as every key it reads is set, so independent work
/// overlaps (the cluster update runs beside the identity, the vault and the service account).
/// No step writes until every step that can run without a write has observed and every
/// confirmation is given: a "no", or a failure found by reading, leaves everything untouched.
class Runner {
public:
  void add(std::unique_ptr<Step> step);
  /// Throws core::Error (internal) when a step reads a key that neither `state` nor any step
  /// provides. Otherwise runs everything it can and reports each step; the failures are in
  /// the reports (a step whose inputs never came because another failed is Skipped). Every
  /// thread it started is joined and `state`'s listener is reset before it returns or throws.
  [[nodiscard]] std::vector<StepReport>
  run(RunState& state, RunObserver& observer, RunOptions options = {});

  /// Checks that every read is provided by `provided` keys or some step's writes.
  void check_inputs(std::set<std::string, std::less<>> const& provided) const;

private:
  std::vector<std::unique_ptr<Step>> m_steps;
};

} // namespace wisetup::workflow
