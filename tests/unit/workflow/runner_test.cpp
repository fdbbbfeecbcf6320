#include <wisetup/core/error.hpp>
#include <wisetup/workflow/runner.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

namespace wisetup::workflow {
namespace {

constexpr StateKey<std::string> k_input{"input"};
constexpr StateKey<std::string> k_first{"first"};
constexpr StateKey<std::string> k_second{"second"};

/// A step scripted by lambdas; records whether apply ran.
class ScriptedStep final : public Step {
public:
  using Observe = std::function<Observation(RunState&)>;
  using Apply = std::function<std::string(RunState&)>;
  ScriptedStep(StepInfo info, Observe observe, Apply apply, std::atomic<int>& applies)
      : m_info(std::move(info)), m_observe(std::move(observe)), m_apply(std::move(apply)),
        m_applies(applies) {}
  [[nodiscard]] StepInfo const& info() const override { return m_info; }
  [[nodiscard]] Observation observe(RunState& state, ProgressSink const& /*progress*/) override {
    return m_observe(state);
  }
  std::string apply(RunState& state, ProgressSink const& /*progress*/) override {
    ++m_applies;
    return m_apply(state);
  }
  /// Plans publish every declared output as not yet known.
  void publish_planned(RunState& state) override {
    for (auto key : m_info.writes) {
      state.set(StateKey<std::string>{key}, std::string(k_known_after_enable));
    }
  }

private:
  StepInfo m_info;
  Observe m_observe;
  Apply m_apply;
  std::atomic<int>& m_applies;
};

class RecordingObserver final : public RunObserver {
public:
  explicit RecordingObserver(bool answer) : m_answer(answer) {}
  bool confirm(std::string_view /*step*/, std::string_view question) override {
    questions.emplace_back(question);
    return m_answer;
  }
  void step_finished(StepReport const& report) override { finished.push_back(report.name); }
  std::vector<std::string> questions;
  std::vector<std::string> finished;

private:
  bool m_answer;
};

std::map<std::string, StepReport> by_name(std::vector<StepReport> const& reports) {
  std::map<std::string, StepReport> map;
  for (auto const& report : reports) {
    map[report.name] = report;
  }
  return map;
}

/// A step that reports progress while it observes: `observe` gets the sink.
class ProgressStep final : public Step {
public:
  using Observe = std::function<Observation(RunState&, ProgressSink const&)>;
  ProgressStep(StepInfo info, Observe observe)
      : m_info(std::move(info)), m_observe(std::move(observe)) {}
  [[nodiscard]] StepInfo const& info() const override { return m_info; }
  [[nodiscard]] Observation observe(RunState& state, ProgressSink const& progress) override {
    return m_observe(state, progress);
  }
  std::string apply(RunState& /*state*/, ProgressSink const& /*progress*/) override {
    return "applied";
  }
  void publish_planned(RunState& /*state*/) override {}

private:
  StepInfo m_info;
  Observe m_observe;
};

/// Throws from every notification; counts them first.
class ThrowingObserver final : public RunObserver {
public:
  void step_started(std::string_view /*step*/) override {
    ++started;
    throw std::runtime_error("started");
  }
  void step_progress(std::string_view /*step*/,
                     std::string_view /*status*/,
                     std::chrono::milliseconds /*elapsed*/) override {
    ++progress;
    throw std::runtime_error("progress");
  }
  void step_finished(StepReport const& /*report*/) override {
    ++finished;
    throw std::runtime_error("finished");
  }
  bool confirm(std::string_view /*step*/, std::string_view /*question*/) override { return true; }
  std::atomic<int> started{0};
  std::atomic<int> progress{0};
  std::atomic<int> finished{0};
};

/// A starter that cannot make a thread for the steps named in `refused`, as std::thread's
/// constructor fails when the system is out of threads.
ThreadStarter refusing(std::vector<std::string> refused) {
  return [refused = std::move(refused)](std::string_view step, std::function<void()> work) {
    if (std::find(refused.begin(), refused.end(), step) != refused.end()) {
      throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                              "cannot create a thread");
    }
    return std::jthread(std::move(work));
  };
}

class RunnerTest : public ::testing::Test {
protected:
  void add(
      std::string name,
      std::vector<std::string_view> reads,
      std::vector<std::string_view> writes,
      ScriptedStep::Observe observe,
      ScriptedStep::Apply apply = [](RunState&) { return std::string("applied"); }) {
    runner.add(std::make_unique<ScriptedStep>(
        StepInfo{std::move(name), "", std::move(reads), std::move(writes)},
        std::move(observe),
        std::move(apply),
        applies));
  }

  Runner runner;
  RunState state;
  std::atomic<int> applies{0};
};

Observation in_sync(RunState& /*state*/) {
  return Observation{Drift::InSync, "", {}, {}};
}
Observation to_create(RunState& /*state*/) {
  return Observation{Drift::Create, "", {}, {}};
}

void expect_system_error(StepReport const& report) {
  EXPECT_EQ(report.status, StepStatus::Failed);
  ASSERT_TRUE(report.error);
  EXPECT_THROW(std::rethrow_exception(report.error), std::system_error);
}

TEST_F(RunnerTest, StartsAStepOnceItsInputIsPublishedAndReportsEachOutcome) {
  state.set(k_input, std::string("x"));
  add(
      "first",
      {k_input.name},
      {k_first.name},
      [](RunState&) {
        return Observation{Drift::Create, "missing", {}, {}};
      },
      [](RunState& s) {
        s.set(k_first, s.get(k_input) + "1");
        return std::string("made first");
      });
  add("second", {k_first.name}, {k_second.name}, [](RunState& s) {
    s.set(k_second, s.get(k_first) + "2");
    return Observation{Drift::InSync, "fine", {}, {}};
  });
  RecordingObserver observer{true};
  auto reports = by_name(runner.run(state, observer));
  EXPECT_EQ(reports["first"].status, StepStatus::Created);
  EXPECT_EQ(reports["first"].detail, "made first");
  EXPECT_EQ(reports["second"].status, StepStatus::UpToDate);
  EXPECT_EQ(state.get(k_second), "x12");
  EXPECT_EQ(applies, 1);
}

TEST_F(RunnerTest, IndependentStepsOverlap) {
  state.set(k_input, std::string("x"));
  // "slow" publishes its output only after "fast" has started, which deadlocks unless they run
  // at the same time.
  std::mutex mutex;
  std::condition_variable changed;
  bool fast_started = false;
  add("slow", {k_input.name}, {k_first.name}, [&](RunState& s) {
    std::unique_lock lock{mutex};
    bool const overlapped =
        changed.wait_for(lock, std::chrono::seconds{5}, [&] { return fast_started; });
    s.set(k_first, std::string(overlapped ? "overlapped" : "serial"));
    return Observation{Drift::InSync, "", {}, {}};
  });
  add("fast", {k_input.name}, {}, [&](RunState&) {
    {
      std::lock_guard lock{mutex};
      fast_started = true;
    }
    changed.notify_all();
    return Observation{Drift::InSync, "", {}, {}};
  });
  RecordingObserver observer{true};
  (void)runner.run(state, observer);
  EXPECT_EQ(state.get(k_first), "overlapped");
}

TEST_F(RunnerTest, DeclinedConfirmationChangesNothing) {
  state.set(k_input, std::string("x"));
  add("disruptive", {k_input.name}, {}, [](RunState&) {
    return Observation{Drift::Update, "", std::string("restart the API server?"), {}};
  });
  add("harmless", {k_input.name}, {}, [](RunState&) {
    return Observation{Drift::Create, "", {}, {}};
  });
  RecordingObserver observer{false};
  auto reports = by_name(runner.run(state, observer));
  EXPECT_EQ(observer.questions, std::vector<std::string>{"restart the API server?"});
  EXPECT_EQ(applies, 0);
  EXPECT_EQ(reports["disruptive"].status, StepStatus::Failed);
  ASSERT_TRUE(reports["disruptive"].error);
  EXPECT_THROW(std::rethrow_exception(reports["disruptive"].error), core::Declined);
  EXPECT_EQ(reports["harmless"].status, StepStatus::Skipped);
}

TEST_F(RunnerTest, FailureWhileObservingStopsEveryWrite) {
  state.set(k_input, std::string("x"));
  add("broken", {k_input.name}, {k_first.name}, [](RunState&) -> Observation {
    throw core::InvalidInput("cluster not found");
  });
  add("writer", {k_input.name}, {}, [](RunState&) {
    return Observation{Drift::Create, "", {}, {}};
  });
  add("dependent", {k_first.name}, {}, [](RunState&) {
    return Observation{Drift::Create, "", {}, {}};
  });
  RecordingObserver observer{true};
  auto reports = by_name(runner.run(state, observer));
  EXPECT_EQ(applies, 0);
  EXPECT_EQ(reports["broken"].status, StepStatus::Failed);
  EXPECT_EQ(reports["writer"].status, StepStatus::Skipped);
  EXPECT_EQ(reports["dependent"].status, StepStatus::Skipped);
  EXPECT_EQ(observer.finished.size(), 3U);
}

TEST_F(RunnerTest, StepsStartedByWhatAnotherObservedAreCheckedBeforeAnyWrite) {
  state.set(k_input, std::string("x"));
  // "first" publishes its output while observing (as the cluster step publishes the location);
  // "second" starts on it and fails while observing: "first" must not have written.
  add("first", {k_input.name}, {k_first.name}, [](RunState& s) {
    s.set(k_first, std::string("known early"));
    return Observation{Drift::Update, "", {}, {}};
  });
  add("second", {k_first.name}, {}, [](RunState&) -> Observation {
    throw core::InvalidInput("vault not found");
  });
  RecordingObserver observer{true};
  auto reports = by_name(runner.run(state, observer));
  EXPECT_EQ(applies, 0);
  EXPECT_EQ(reports["first"].status, StepStatus::Skipped);
  EXPECT_EQ(reports["second"].status, StepStatus::Failed);
}

TEST_F(RunnerTest, FailureAfterWritesBeganSkipsOnlyItsDependents) {
  state.set(k_input, std::string("x"));
  add(
      "failing",
      {k_input.name},
      {k_first.name},
      [](RunState&) {
        return Observation{Drift::Create, "", {}, {}};
      },
      [](RunState&) -> std::string { throw core::Error("boom"); });
  add("independent", {k_input.name}, {}, [](RunState&) {
    return Observation{Drift::Create, "", {}, {}};
  });
  add("dependent", {k_first.name}, {}, [](RunState&) {
    return Observation{Drift::Create, "", {}, {}};
  });
  RecordingObserver observer{true};
  auto reports = by_name(runner.run(state, observer));
  EXPECT_EQ(reports["failing"].status, StepStatus::Failed);
  EXPECT_EQ(reports["independent"].status, StepStatus::Created);
  EXPECT_EQ(reports["dependent"].status, StepStatus::Skipped);
  EXPECT_NE(reports["dependent"].detail.find("first"), std::string::npos);
}

TEST_F(RunnerTest, ReadOfAKeyNobodyProvidesIsRefusedBeforeAnythingRuns) {
  add("orphan", {k_second.name}, {}, [](RunState&) {
    return Observation{Drift::Create, "", {}, {}};
  });
  RecordingObserver observer{true};
  EXPECT_THROW((void)runner.run(state, observer), core::Error);
  EXPECT_TRUE(observer.finished.empty());
}

TEST_F(RunnerTest, PlanObservesEveryStepAppliesNothingAndAsksNothing) {
  state.set(k_input, std::string("x"));
  add("first", {k_input.name}, {k_first.name}, [](RunState&) {
    return Observation{Drift::Create,
                       "would create",
                       std::string("restart the API server?"),
                       {{"enabled", "false", "true"}}};
  });
  add("second", {k_first.name}, {k_second.name}, [](RunState& s) {
    // Sees the planned output of the step it waits for.
    return Observation{
        s.get(k_first) == k_known_after_enable ? Drift::Update : Drift::InSync, "", {}, {}};
  });
  RecordingObserver observer{false};
  RunOptions options;
  options.plan_only = true;
  auto const reports = by_name(runner.run(state, observer, options));
  EXPECT_EQ(applies, 0);
  EXPECT_TRUE(observer.questions.empty());
  EXPECT_EQ(reports.at("first").status, StepStatus::Planned);
  EXPECT_EQ(reports.at("first").drift, Drift::Create);
  ASSERT_EQ(reports.at("first").changes.size(), 1U);
  EXPECT_EQ(reports.at("first").changes[0].after, "true");
  EXPECT_EQ(reports.at("first").warning, "restart the API server?");
  EXPECT_EQ(reports.at("second").status, StepStatus::Planned);
  EXPECT_EQ(reports.at("second").drift, Drift::Update);
}

TEST_F(RunnerTest, PlanReportsEveryFailureInsteadOfStoppingAtTheFirst) {
  state.set(k_input, std::string("x"));
  add("broken", {k_input.name}, {k_first.name}, [](RunState&) -> Observation {
    throw core::InvalidInput("bad vault");
  });
  add("independent", {k_input.name}, {k_second.name}, [](RunState&) {
    return Observation{Drift::Create, "", {}, {}};
  });
  RecordingObserver observer{true};
  RunOptions options;
  options.plan_only = true;
  auto const reports = by_name(runner.run(state, observer, options));
  EXPECT_EQ(reports.at("broken").status, StepStatus::Failed);
  EXPECT_EQ(reports.at("independent").status, StepStatus::Planned);
  EXPECT_EQ(applies, 0);
}

TEST_F(RunnerTest, AThreadThatCannotStartFailsItsStepBeforeAnyWrite) {
  state.set(k_input, std::string("x"));
  add("first", {k_input.name}, {}, to_create);
  add("unstartable", {k_input.name}, {}, to_create);
  add("last", {k_input.name}, {}, to_create);
  RecordingObserver observer{true};
  RunOptions options;
  options.start_thread = refusing({"unstartable"});
  auto reports = by_name(runner.run(state, observer, options));
  expect_system_error(reports["unstartable"]);
  EXPECT_NE(reports["unstartable"].detail.find("no thread"), std::string::npos);
  // As any failure found before the first write: nothing is changed.
  EXPECT_EQ(applies, 0);
  EXPECT_EQ(reports["first"].status, StepStatus::Skipped);
  EXPECT_EQ(reports["last"].status, StepStatus::Skipped);
  EXPECT_EQ(observer.finished.size(), 3U);
  EXPECT_FALSE(state.listening());
}

TEST_F(RunnerTest, AThreadThatCannotStartAfterWritesBeganFailsOnlyItsStep) {
  state.set(k_input, std::string("x"));
  add("first", {k_input.name}, {k_first.name}, to_create, [](RunState& s) {
    s.set(k_first, std::string("made"));
    return std::string("made first");
  });
  add("dependent", {k_first.name}, {}, to_create);
  add("independent", {k_input.name}, {}, to_create);
  RecordingObserver observer{true};
  RunOptions options;
  options.start_thread = refusing({"dependent"});
  auto reports = by_name(runner.run(state, observer, options));
  EXPECT_EQ(reports["first"].status, StepStatus::Created);
  EXPECT_EQ(reports["independent"].status, StepStatus::Created);
  expect_system_error(reports["dependent"]);
  EXPECT_EQ(observer.finished.size(), 3U);
  EXPECT_FALSE(state.listening());
}

TEST_F(RunnerTest, PlanReportsAThreadThatCannotStartAndPlansTheRest) {
  state.set(k_input, std::string("x"));
  add("unstartable", {k_input.name}, {k_first.name}, to_create);
  add("independent", {k_input.name}, {}, to_create);
  RecordingObserver observer{true};
  RunOptions options;
  options.plan_only = true;
  options.start_thread = refusing({"unstartable"});
  auto reports = by_name(runner.run(state, observer, options));
  expect_system_error(reports["unstartable"]);
  EXPECT_EQ(reports["independent"].status, StepStatus::Planned);
  EXPECT_EQ(observer.finished.size(), 2U);
}

TEST_F(RunnerTest, NoThreadAtAllStillReportsEveryStep) {
  state.set(k_input, std::string("x"));
  add("a", {k_input.name}, {k_first.name}, to_create);
  add("b", {k_first.name}, {}, to_create);
  RecordingObserver observer{true};
  RunOptions options;
  options.start_thread = [](std::string_view, std::function<void()>) -> std::jthread {
    throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
  };
  auto reports = by_name(runner.run(state, observer, options));
  expect_system_error(reports["a"]);
  EXPECT_EQ(reports["b"].status, StepStatus::Skipped);

  // A starter that returns no thread at all is a failure too, not a wait for ever.
  observer.finished.clear();
  options.start_thread = [](std::string_view, std::function<void()>) {
    return std::jthread{};
  };
  reports = by_name(runner.run(state, observer, options));
  expect_system_error(reports["a"]);
  EXPECT_EQ(reports["b"].status, StepStatus::Skipped);
  EXPECT_EQ(observer.finished, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(state.listening());
}

/// Its info() throws once the key it reads is set: something thrown while the runner schedules,
/// with another step's thread already running (and waiting at the gate).
class InfoThrowingStep final : public Step {
public:
  explicit InfoThrowingStep(RunState const& state) : m_state(state) {}
  [[nodiscard]] StepInfo const& info() const override {
    if (m_state.has(k_first)) {
      throw std::runtime_error("scheduling broke");
    }
    return m_info;
  }
  [[nodiscard]] Observation observe(RunState& /*state*/, ProgressSink const& /*p*/) override {
    return Observation{Drift::InSync, "", {}, {}};
  }
  std::string apply(RunState& /*state*/, ProgressSink const& /*progress*/) override { return ""; }
  void publish_planned(RunState& /*state*/) override {}

private:
  RunState const& m_state;
  StepInfo m_info{"late", "", {k_first.name}, {}};
};

TEST_F(RunnerTest, WhateverSchedulingThrowsJoinsEveryThreadAndStopsListening) {
  state.set(k_input, std::string("x"));
  add("early", {k_input.name}, {k_first.name}, [](RunState& s) {
    s.set(k_first, std::string("known"));
    return Observation{Drift::Create, "", {}, {}};
  });
  runner.add(std::make_unique<InfoThrowingStep>(state));
  RecordingObserver observer{true};
  // Without the guard this would std::terminate (a joinable thread destroyed) or hang ("early"
  // waiting at the gate for ever).
  EXPECT_THROW((void)runner.run(state, observer), std::runtime_error);
  EXPECT_EQ(applies, 0);
  EXPECT_FALSE(state.listening());
  EXPECT_EQ(observer.finished, std::vector<std::string>{"early"});
}

TEST_F(RunnerTest, AnObserverThatThrowsLosesOnlyItsNotifications) {
  state.set(k_input, std::string("x"));
  add("first", {k_input.name}, {k_first.name}, to_create, [](RunState& s) {
    s.set(k_first, std::string("made"));
    return std::string("made first");
  });
  add("second", {k_first.name}, {}, in_sync);
  runner.add(std::make_unique<ProgressStep>(
      StepInfo{"talkative", "", {k_input.name}, {}}, [](RunState&, ProgressSink const& progress) {
        progress("reading", std::chrono::milliseconds{1});
        progress("still reading", std::chrono::milliseconds{2});
        return Observation{Drift::Update, "", {}, {}};
      }));
  ThrowingObserver observer;
  auto reports = by_name(runner.run(state, observer));
  EXPECT_EQ(reports["first"].status, StepStatus::Created);
  EXPECT_EQ(reports["second"].status, StepStatus::UpToDate);
  EXPECT_EQ(reports["talkative"].status, StepStatus::Updated);
  EXPECT_EQ(observer.started, 3);
  EXPECT_EQ(observer.progress, 2);
  EXPECT_EQ(observer.finished, 3);
  EXPECT_FALSE(state.listening());
}

TEST_F(RunnerTest, AnObserverThatThrowsFromConfirmFailsOnlyThatStep) {
  class Refusing final : public RunObserver {
  public:
    bool confirm(std::string_view /*step*/, std::string_view /*question*/) override {
      throw std::runtime_error("no terminal");
    }
  };
  state.set(k_input, std::string("x"));
  add("disruptive", {k_input.name}, {}, [](RunState&) {
    return Observation{Drift::Update, "", std::string("restart?"), {}};
  });
  Refusing observer;
  auto reports = by_name(runner.run(state, observer));
  EXPECT_EQ(reports["disruptive"].status, StepStatus::Failed);
  EXPECT_EQ(applies, 0);
}

TEST_F(RunnerTest, APromptDoesNotHoldBackOtherStepsProgress) {
  // While "disruptive" waits for its answer, "busy" reports progress: the prompt must not block
  // it (a person may take minutes to answer). The answer is yes only if the progress came.
  class Waiting final : public RunObserver {
  public:
    bool confirm(std::string_view /*step*/, std::string_view /*question*/) override {
      std::unique_lock lock{mutex};
      asking = true;
      changed.notify_all();
      return changed.wait_for(lock, std::chrono::seconds{5}, [&] { return progressed; });
    }
    void step_progress(std::string_view step,
                       std::string_view /*status*/,
                       std::chrono::milliseconds /*elapsed*/) override {
      std::lock_guard const lock{mutex};
      progressed = progressed || step == "busy";
      changed.notify_all();
    }
    std::mutex mutex;
    std::condition_variable changed;
    bool asking = false;
    bool progressed = false;
  };
  Waiting observer;
  state.set(k_input, std::string("x"));
  add("disruptive", {k_input.name}, {}, [](RunState&) {
    return Observation{Drift::Update, "", std::string("restart the API server?"), {}};
  });
  runner.add(std::make_unique<ProgressStep>(
      StepInfo{"busy", "", {k_input.name}, {}}, [&](RunState&, ProgressSink const& progress) {
        {
          std::unique_lock lock{observer.mutex};
          observer.changed.wait_for(lock, std::chrono::seconds{5}, [&] { return observer.asking; });
        }
        progress("waiting", std::chrono::seconds{1});
        return Observation{Drift::InSync, "", {}, {}};
      }));
  auto reports = by_name(runner.run(state, observer));
  EXPECT_TRUE(observer.progressed);
  EXPECT_EQ(reports["disruptive"].status, StepStatus::Updated);
  EXPECT_EQ(reports["busy"].status, StepStatus::UpToDate);
}

TEST_F(RunnerTest, PromptsComeOneAtATime) {
  class Counting final : public RunObserver {
  public:
    bool confirm(std::string_view /*step*/, std::string_view /*question*/) override {
      auto const now = ++asking;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
      --asking;
      ++asked;
      return true;
    }
    std::atomic<int> asking{0};
    std::atomic<int> most{0};
    std::atomic<int> asked{0};
  };
  Counting observer;
  state.set(k_input, std::string("x"));
  for (auto const* name : {"one", "two", "three"}) {
    add(name, {k_input.name}, {}, [](RunState&) {
      return Observation{Drift::Update, "", std::string("sure?"), {}};
    });
  }
  auto reports = by_name(runner.run(state, observer));
  EXPECT_EQ(observer.asked, 3);
  EXPECT_EQ(observer.most, 1);
  EXPECT_EQ(applies, 3);
}

/// A step that needs one right, named after it, and records whether it had observed when asked.
class NeedyStep final : public Step {
public:
  NeedyStep(StepInfo info, Drift drift, std::atomic<int>& applies)
      : m_info(std::move(info)), m_drift(drift), m_applies(applies) {}
  [[nodiscard]] StepInfo const& info() const override { return m_info; }
  [[nodiscard]] Observation observe(RunState& state, ProgressSink const& /*progress*/) override {
    if (m_drift == Drift::InSync) {
      for (auto key : m_info.writes) {
        state.set(StateKey<std::string>{key}, std::string("there"));
      }
    }
    return Observation{m_drift, "", {}, {}};
  }
  std::string apply(RunState& state, ProgressSink const& /*progress*/) override {
    ++m_applies;
    for (auto key : m_info.writes) {
      state.set(StateKey<std::string>{key}, std::string("made"));
    }
    return "applied";
  }
  [[nodiscard]] std::vector<AccessNeed> required_access(RunState const& /*state*/,
                                                        Observation const* observation) override {
    asked_observed = observation != nullptr;
    ++asked;
    return {{AccessNeed::Api::ResourceManager, "/scope/" + m_info.name, m_info.name + "/write"}};
  }
  std::atomic<int> asked{0};
  std::atomic<bool> asked_observed{false};

private:
  StepInfo m_info;
  Drift m_drift;
  std::atomic<int>& m_applies;
};

class AccessCheckTest : public ::testing::Test {
protected:
  NeedyStep& add(std::string name,
                 std::vector<std::string_view> reads,
                 std::vector<std::string_view> writes,
                 Drift drift) {
    auto step = std::make_unique<NeedyStep>(
        StepInfo{std::move(name), "", std::move(reads), std::move(writes)}, drift, applies);
    auto& added = *step;
    runner.add(std::move(step));
    return added;
  }
  /// Records what it was asked; refuses the steps named in `refused`.
  AccessCheck checking(std::vector<std::string> refused = {}) {
    return [this, refused = std::move(refused)](std::vector<PendingChange> const& changes) {
      std::vector<std::exception_ptr> verdicts;
      for (auto const& change : changes) {
        asked.emplace_back(change.step);
        bool const no = std::find(refused.begin(), refused.end(), change.step) != refused.end();
        verdicts.push_back(
            no ? std::make_exception_ptr(core::Error("missing " + change.needs.at(0).action))
               : nullptr);
      }
      return verdicts;
    };
  }

  Runner runner;
  RunState state;
  std::atomic<int> applies{0};
  std::vector<std::string> asked;
};

TEST_F(AccessCheckTest, AskedOnceBeforeAnyWriteAboutChangesAndStepsStillWaiting) {
  state.set(k_input, std::string("x"));
  auto& creating = add("creating", {k_input.name}, {k_first.name}, Drift::Create);
  auto& fine = add("fine", {k_input.name}, {}, Drift::InSync);
  auto& waiting = add("waiting", {k_first.name}, {}, Drift::Create);
  RecordingObserver observer{true};
  RunOptions options;
  options.check_access = checking();
  auto reports = by_name(runner.run(state, observer, options));
  EXPECT_EQ(asked, (std::vector<std::string>{"creating", "waiting"}));
  EXPECT_TRUE(creating.asked_observed);
  EXPECT_FALSE(waiting.asked_observed); // it could not look before the first write
  EXPECT_EQ(fine.asked, 0);             // nothing to change
  EXPECT_EQ(waiting.asked, 1);          // not asked again once it has looked
  EXPECT_EQ(reports["creating"].status, StepStatus::Created);
  EXPECT_EQ(reports["waiting"].status, StepStatus::Created);
  EXPECT_EQ(applies, 2);
}

TEST_F(AccessCheckTest, ARefusalFailsThatStepAndStopsEveryWrite) {
  state.set(k_input, std::string("x"));
  add("creating", {k_input.name}, {k_first.name}, Drift::Create);
  add("updating", {k_input.name}, {}, Drift::Update);
  add("waiting", {k_first.name}, {}, Drift::Create);
  RecordingObserver observer{true};
  RunOptions options;
  options.check_access = checking({"updating", "waiting"});
  auto reports = by_name(runner.run(state, observer, options));
  EXPECT_EQ(applies, 0);
  EXPECT_EQ(reports["creating"].status, StepStatus::Skipped);
  ASSERT_EQ(reports["updating"].status, StepStatus::Failed);
  EXPECT_THROW(std::rethrow_exception(reports["updating"].error), core::Error);
  ASSERT_EQ(reports["waiting"].status, StepStatus::Failed);
  try {
    std::rethrow_exception(reports["waiting"].error);
  } catch (core::Error const& error) {
    EXPECT_STREQ(error.what(), "missing waiting/write");
  }
  // Every step is reported, the refused one that never started included.
  EXPECT_EQ(observer.finished.size(), 3U);
}

TEST_F(AccessCheckTest, ACheckThatThrowsStopsEveryWrite) {
  state.set(k_input, std::string("x"));
  add("creating", {k_input.name}, {}, Drift::Create);
  RecordingObserver observer{true};
  RunOptions options;
  options.check_access = [](std::vector<PendingChange> const&) -> std::vector<std::exception_ptr> {
    throw core::Error("the check broke");
  };
  auto reports = by_name(runner.run(state, observer, options));
  EXPECT_EQ(applies, 0);
  EXPECT_EQ(reports["creating"].status, StepStatus::Failed);
}

TEST_F(AccessCheckTest, NotAskedInAPlanNorWhenNothingChanges) {
  state.set(k_input, std::string("x"));
  add("fine", {k_input.name}, {k_first.name}, Drift::InSync);
  add("after", {k_first.name}, {}, Drift::InSync);
  RecordingObserver observer{true};
  RunOptions options;
  options.check_access = checking();
  (void)runner.run(state, observer, options);
  EXPECT_TRUE(asked.empty());

  Runner planner;
  planner.add(std::make_unique<NeedyStep>(
      StepInfo{"creating", "", {k_input.name}, {}}, Drift::Create, applies));
  options.plan_only = true;
  (void)planner.run(state, observer, options);
  EXPECT_TRUE(asked.empty());
}

} // namespace
} // namespace wisetup::workflow
