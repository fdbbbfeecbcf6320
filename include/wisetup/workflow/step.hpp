#pragma once

#include <wisetup/workflow/access_need.hpp>
#include <wisetup/workflow/run_state.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wisetup::workflow {

/// What a step is and which state keys it exchanges; the runner orders steps by these. Of
/// `writes` the runner makes one check, before a run (Runner::check_inputs): every read is set by
/// a flag or by some step's writes. It does not check that a step sets its writes (some as soon
/// as it has observed), or no others; a step whose reads never get set is reported as not started.
struct StepInfo {
  std::string name;                     ///< "federated-credential"
  std::string summary;                  ///< one line for help and reports
  std::vector<std::string_view> reads;  ///< keys that must be set before the step starts
  std::vector<std::string_view> writes; ///< keys the step sets (see above)
};

/// How the observed state differs from the desired one.
enum class Drift { InSync, Create, Update, Delete };

/// "create", "update", "delete" or "none": the words of plan's output.
[[nodiscard]] std::string_view to_string(Drift drift);

/// A value a plan cannot know before enable runs (a new identity's client id, the issuer URL of a
/// cluster whose OIDC issuer is still off). Steps compare against it with is_known().
inline constexpr std::string_view k_known_after_enable = "(known after enable)";
[[nodiscard]] inline bool is_known(std::string_view value) {
  return value != k_known_after_enable;
}

/// One field a change would set: `securityProfile.workloadIdentity.enabled: false -> true`.
/// An empty `before` means the field (or its object) does not exist yet; an empty `after`,
/// that it goes away.
struct FieldChange {
  std::string field;
  std::string before;
  std::string after;
};

/// The result of observing: the drift, a sentence about it, the fields it would change, and,
/// when applying it is disruptive, the question to ask the user first.
struct Observation {
  Drift drift = Drift::InSync;
  std::string detail;
  std::optional<std::string> confirmation;
  std::vector<FieldChange> changes;
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
  /// In a plan (nothing is applied), sets the outputs apply() would set, with
  /// k_known_after_enable for what only the change itself can tell, so that the steps that wait
  /// for them can still say what they would do. Called only after observe() found drift.
  virtual void publish_planned(RunState& /*state*/) {}
  /// The rights apply() needs, checked before the run's first write. `observation` is what
  /// observe() found, or null when the step has not observed yet because it waits for another
  /// step's change: then it lists what any change it could make would need. May read (never
  /// write) to find out; called while the step's own thread is not running.
  [[nodiscard]] virtual std::vector<AccessNeed>
  required_access(RunState const& /*state*/, Observation const* /*observation*/) {
    return {};
  }
};

} // namespace wisetup::workflow
