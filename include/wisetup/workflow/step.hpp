#pragma once

#include <wisetup/workflow/run_state.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wisetup::workflow {

/// What a step is and which state keys it exchanges; the runner orders steps by these.
struct StepInfo {
  std::string name;                     ///< "federated-credential"
  std::string summary;                  ///< one line for help and reports
  std::vector<std::string_view> reads;  ///< keys that must be set before the step starts
  std::vector<std::string_view> writes; ///< keys the step sets (checked by the runner)
};

/// How the observed state differs from the desired one.
enum class Drift { InSync, Create, Update };

/// The result of observing: the drift, a sentence about it, and, when applying it is
/// disruptive, the question to ask the user first.
struct Observation {
  Drift drift = Drift::InSync;
  std::string detail;
  std::optional<std::string> confirmation;
};

/// Lets a long step say what it is waiting for ("cluster update: Updating").
using ProgressSink =
    std::function<void(std::string_view status, std::chrono::milliseconds elapsed)>;

/// One idempotent piece of a workflow. A step object is used for one run: observe() may keep what
/// it read for apply(). When observe() finds the state in sync it sets its outputs itself.
class Step {
public:
  virtual ~Step() = default;
  [[nodiscard]] virtual StepInfo const& info() const = 0;
  /// Reads current state only (no writes to any service).
  [[nodiscard]] virtual Observation observe(RunState& state, ProgressSink const& progress) = 0;
  /// Makes the change observe() found; returns a sentence saying what changed.
  virtual std::string apply(RunState& state, ProgressSink const& progress) = 0;
};

} // namespace wisetup::workflow
