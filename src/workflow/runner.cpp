#include <wisetup/core/error.hpp>
#include <wisetup/workflow/runner.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

namespace wisetup::workflow {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::chrono::milliseconds since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
}

/// The shared bookkeeping of one run. Every field is guarded by `mutex`.
struct Schedule {
  enum class Phase { Waiting, Observing, Gated, Applying, Done };

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Phase> phases;
  std::vector<StepReport> reports;
  /// What each step observed, while it waits at the gate (for the access check).
  std::vector<Observation const*> observations;
  /// The access check's refusal of a step waiting at the gate: it fails with it.
  std::vector<std::exception_ptr> refusals;
  bool access_checked = false;
  /// Opens once no step is observing and none can start without a write: then everything that
  /// can be checked before changing anything has been checked.
  bool gate_open = false;
  bool aborted = false;

  std::mutex observer_mutex; ///< notifications (started, progress, finished) are serialised
  std::mutex confirm_mutex;  ///< so are prompts, apart from notifications
};

/// Calls `action` when it goes out of scope, however that happens.
template <class Action> class ScopeExit {
public:
  explicit ScopeExit(Action action) : m_action(std::move(action)) {}
  ScopeExit(ScopeExit const&) = delete;
  ScopeExit& operator=(ScopeExit const&) = delete;
  ScopeExit(ScopeExit&&) = delete;
  ScopeExit& operator=(ScopeExit&&) = delete;
  ~ScopeExit() { m_action(); }

private:
  Action m_action;
};

} // namespace

std::string_view to_string(StepStatus status) {
  switch (status) {
  case StepStatus::Created:
    return "created";
  case StepStatus::Updated:
    return "updated";
  case StepStatus::Deleted:
    return "deleted";
  case StepStatus::UpToDate:
    return "up to date";
  case StepStatus::Planned:
    return "planned";
  case StepStatus::Failed:
    return "failed";
  case StepStatus::Skipped:
    return "skipped";
  }
  return "skipped";
}

std::string_view to_string(Drift drift) {
  switch (drift) {
  case Drift::Create:
    return "create";
  case Drift::Update:
    return "update";
  case Drift::Delete:
    return "delete";
  case Drift::InSync:
    return "none";
  }
  return "none";
}

void Runner::add(std::unique_ptr<Step> step) {
  m_steps.push_back(std::move(step));
}

void Runner::check_inputs(std::set<std::string, std::less<>> const& provided) const {
  std::set<std::string, std::less<>> available = provided;
  for (auto const& step : m_steps) {
    for (auto key : step->info().writes) {
      available.emplace(key);
    }
  }
  for (auto const& step : m_steps) {
    for (auto key : step->info().reads) {
      if (available.find(key) == available.end()) {
        throw core::Error("internal error: step " + step->info().name + " reads " +
                          std::string(key) + ", which no step or flag provides");
      }
    }
  }
}

std::vector<StepReport> Runner::run(RunState& state, RunObserver& observer, RunOptions options) {
  check_inputs(state.keys());

  Schedule schedule;
  auto const count = m_steps.size();
  schedule.phases.assign(count, Schedule::Phase::Waiting);
  schedule.reports.resize(count);
  schedule.observations.assign(count, nullptr);
  schedule.refusals.resize(count);
  for (std::size_t index = 0; index < count; ++index) {
    schedule.reports[index].name = m_steps[index]->info().name;
  }
  ThreadStarter const start_thread =
      options.start_thread ? options.start_thread
                           : [](std::string_view /*step*/, std::function<void()> work) {
                               return std::jthread(std::move(work));
                             };

  auto ready = [&](std::size_t index) {
    auto const& reads = m_steps[index]->info().reads;
    return std::all_of(reads.begin(), reads.end(), [&](auto key) { return state.has(key); });
  };
  auto notify_observer = [&](auto&& call) {
    // An observer that throws must not take a step thread down with it.
    try {
      std::lock_guard const lock{schedule.observer_mutex};
      call();
    } catch (...) { // NOLINT(bugprone-empty-catch): reporting is best effort
    }
  };

  auto apply_after_gate = [&](std::size_t index,
                              Observation const& observation,
                              StepReport& report,
                              ProgressSink const& progress) {
    Step& step = *m_steps[index];
    bool proceed = false;
    std::exception_ptr refusal;
    {
      std::unique_lock lock{schedule.mutex};
      schedule.phases[index] = Schedule::Phase::Gated;
      schedule.observations[index] = &observation;
      schedule.changed.notify_all();
      schedule.changed.wait(lock, [&] { return schedule.gate_open || schedule.aborted; });
      proceed = !schedule.aborted;
      refusal = schedule.refusals[index];
      schedule.observations[index] = nullptr;
      schedule.phases[index] = Schedule::Phase::Applying;
    }
    if (refusal) {
      std::rethrow_exception(refusal);
    }
    if (!proceed) {
      report.detail = "not started: another step failed before anything was changed";
    } else if (observation.drift == Drift::InSync) {
      report.status = StepStatus::UpToDate;
      report.detail = observation.detail;
    } else {
      report.detail = step.apply(state, progress);
      report.status = observation.drift == Drift::Create   ? StepStatus::Created
                      : observation.drift == Drift::Delete ? StepStatus::Deleted
                                                           : StepStatus::Updated;
    }
  };

  // Records that a step failed; with schedule.mutex held.
  auto record_failure = [&] {
    if (!schedule.gate_open && !options.plan_only) {
      // A failure before the first write stops everything: bad input is caught before any
      // change.
      schedule.aborted = true;
    }
    schedule.changed.notify_all();
  };

  auto run_step = [&](std::size_t index) {
    Step& step = *m_steps[index];
    auto const& name = step.info().name;
    auto const start = SteadyClock::now();
    StepReport report;
    report.name = name;
    ProgressSink const progress = [&](std::string_view status, std::chrono::milliseconds elapsed) {
      notify_observer([&] { observer.step_progress(name, status, elapsed); });
    };
    notify_observer([&] { observer.step_started(name); });
    try {
      auto observation = step.observe(state, progress);
      report.drift = observation.drift;
      report.changes = observation.changes;
      report.warning = observation.confirmation;
      if (options.plan_only) {
        if (observation.drift != Drift::InSync) {
          step.publish_planned(state);
        }
        report.status =
            observation.drift == Drift::InSync ? StepStatus::UpToDate : StepStatus::Planned;
        report.detail = observation.detail;
      } else if (observation.confirmation) {
        bool confirmed = false;
        {
          // One prompt at a time, but not under observer_mutex: the other steps' progress and
          // results keep flowing while a person thinks.
          std::lock_guard const lock{schedule.confirm_mutex};
          confirmed = observer.confirm(name, *observation.confirmation);
        }
        if (!confirmed) {
          throw core::Declined("not confirmed, so nothing was changed; answer yes at the prompt, "
                               "or pass --yes where there is no terminal (CI)");
        }
      }
      if (!options.plan_only) {
        apply_after_gate(index, observation, report, progress);
      }
    } catch (...) {
      report.status = StepStatus::Failed;
      report.error = std::current_exception();
      std::lock_guard const lock{schedule.mutex};
      record_failure();
    }
    report.duration = since(start);
    notify_observer([&] { observer.step_finished(report); });
    std::lock_guard const lock{schedule.mutex};
    schedule.reports[index] = std::move(report);
    schedule.phases[index] = Schedule::Phase::Done;
    schedule.changed.notify_all();
  };
  // Nothing may leave a thread (std::terminate): whatever the bookkeeping itself throws (memory)
  // still ends the step.
  auto thread_body = [&](std::size_t index) noexcept {
    try {
      run_step(index);
    } catch (...) {
      std::lock_guard const lock{schedule.mutex};
      if (schedule.phases[index] != Schedule::Phase::Done) {
        schedule.reports[index].status = StepStatus::Failed;
        schedule.reports[index].error = std::current_exception();
        schedule.phases[index] = Schedule::Phase::Done;
        record_failure();
      }
    }
  };

  std::vector<std::size_t> not_started; // failed before their thread started: reported last

  // Asks options.check_access about every step that will or may write; with `lock` (on
  // schedule.mutex) held on entry and exit, released while it asks. No step thread runs
  // meanwhile: each is waiting at the gate or has not started.
  auto check_access = [&](std::unique_lock<std::mutex>& lock) {
    schedule.access_checked = true;
    std::vector<std::pair<std::size_t, Observation const*>> candidates;
    for (std::size_t index = 0; index < count; ++index) {
      auto const phase = schedule.phases[index];
      auto const* observation = schedule.observations[index];
      if (phase == Schedule::Phase::Waiting ||
          (phase == Schedule::Phase::Gated && observation != nullptr &&
           observation->drift != Drift::InSync)) {
        candidates.emplace_back(index, phase == Schedule::Phase::Gated ? observation : nullptr);
      }
    }
    lock.unlock();
    std::vector<std::pair<std::size_t, std::exception_ptr>> failures;
    std::vector<PendingChange> changes;
    std::vector<std::size_t> owners;
    for (auto const& [index, observation] : candidates) {
      try {
        auto needs = m_steps[index]->required_access(state, observation);
        if (!needs.empty()) {
          changes.push_back({m_steps[index]->info().name, std::move(needs)});
          owners.push_back(index);
        }
      } catch (...) {
        failures.emplace_back(index, std::current_exception());
      }
    }
    if (!changes.empty()) {
      try {
        auto const verdicts = options.check_access(changes);
        for (std::size_t i = 0; i < verdicts.size() && i < owners.size(); ++i) {
          if (verdicts[i]) {
            failures.emplace_back(owners[i], verdicts[i]);
          }
        }
      } catch (...) {
        failures.emplace_back(owners.front(), std::current_exception());
      }
    }
    lock.lock();
    for (auto const& [index, error] : failures) {
      if (schedule.phases[index] == Schedule::Phase::Gated) {
        schedule.refusals[index] = error;
      } else {
        auto& report = schedule.reports[index];
        report.status = StepStatus::Failed;
        report.error = error;
        report.detail = "not started: a right it needs is missing";
        schedule.phases[index] = Schedule::Phase::Done;
        not_started.push_back(index);
      }
    }
    if (!failures.empty()) {
      schedule.aborted = true;
      schedule.changed.notify_all();
    }
  };

  // Destroyed in reverse order: first `release` (if the scheduling below threw, it aborts the
  // run so that no thread waits at the gate for ever), then `threads` (every started thread is
  // joined), then `stop_listening` (the listener refers to `schedule`, which outlives it).
  state.on_change([&] {
    std::lock_guard const lock{schedule.mutex};
    schedule.changed.notify_all();
  });
  ScopeExit const stop_listening{[&state]() noexcept {
    state.on_change({});
  }};
  std::vector<std::jthread> threads;
  threads.reserve(count); // so that adding one never throws after its thread started
  bool scheduled = false;
  ScopeExit const release{[&]() noexcept {
    if (!scheduled) {
      std::lock_guard const lock{schedule.mutex};
      schedule.aborted = true;
      schedule.changed.notify_all();
    }
  }};

  {
    std::unique_lock lock{schedule.mutex};
    while (true) {
      bool running = false;
      bool observing = false;
      for (std::size_t index = 0; index < count; ++index) {
        auto& phase = schedule.phases[index];
        if (phase == Schedule::Phase::Waiting && !schedule.aborted && ready(index)) {
          phase = Schedule::Phase::Observing;
          try {
            auto thread = start_thread(m_steps[index]->info().name,
                                       [&thread_body, index] { thread_body(index); });
            if (!thread.joinable()) { // else the run would wait for it for ever
              throw std::system_error(
                  std::make_error_code(std::errc::resource_unavailable_try_again),
                  "no thread was started for step " + m_steps[index]->info().name);
            }
            threads.push_back(std::move(thread));
          } catch (...) {
            auto& report = schedule.reports[index];
            report.status = StepStatus::Failed;
            report.error = std::current_exception();
            report.detail = "not started: no thread could be created for it";
            phase = Schedule::Phase::Done;
            not_started.push_back(index);
            record_failure();
          }
        }
        running = running || (phase != Schedule::Phase::Waiting && phase != Schedule::Phase::Done);
        observing = observing || phase == Schedule::Phase::Observing;
      }
      if (!schedule.gate_open && !schedule.aborted && !observing) {
        if (!options.plan_only && options.check_access && !schedule.access_checked) {
          check_access(lock);
          continue; // refused: aborted; allowed: the gate opens on the next pass
        }
        schedule.gate_open = true;
        schedule.changed.notify_all();
        continue; // applying may make more steps ready
      }
      if (!running) {
        break;
      }
      schedule.changed.wait(lock);
    }
    scheduled = true;
  }
  threads.clear(); // joins; every step has finished

  for (auto const index : not_started) {
    notify_observer([&] { observer.step_finished(schedule.reports[index]); });
  }
  for (std::size_t index = 0; index < count; ++index) {
    if (schedule.phases[index] != Schedule::Phase::Waiting) {
      continue;
    }
    auto& report = schedule.reports[index];
    std::string missing;
    for (auto key : m_steps[index]->info().reads) {
      if (!state.has(key)) {
        missing += (missing.empty() ? "" : ", ") + std::string(key);
      }
    }
    report.detail = schedule.aborted
                        ? "not started: another step failed before anything was changed"
                        : "not started: it needs " + missing + " from a step that failed";
    notify_observer([&] { observer.step_finished(report); });
  }
  return schedule.reports;
}

} // namespace wisetup::workflow
