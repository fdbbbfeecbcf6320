#pragma once

#include <wisetup/azure/arm_client.hpp>
#include <wisetup/core/clock.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wisetup::azure {

/// Told about each poll: the operation's current status and the time since it started.
using ProgressCallback =
    std::function<void(std::string_view status, std::chrono::milliseconds elapsed)>;

struct LroOptions {
  /// Poll interval when the service sends no Retry-After. It stays at `initial_interval` for the
  /// first `steady_for` of the wait, so a short operation is seen to end within a quarter of a
  /// second, then grows x1.5 at each poll up to `max_interval` (reached about 22 s into the wait),
  /// so a long one (an AKS update takes minutes) is polled once every 5 s.
  std::chrono::milliseconds initial_interval{250};
  std::chrono::milliseconds steady_for{10'000};
  std::chrono::milliseconds max_interval{5'000};
  std::chrono::seconds timeout{std::chrono::minutes{30}};
  /// When set, one deadline for every wait (a running operation, then the update), so that
  /// --timeout bounds them together; `timeout` then applies to none.
  std::optional<core::Clock::TimePoint> deadline;
};

/// Follows an ARM long-running operation (Azure-AsyncOperation, else Location, else the
/// resource's provisioningState) to its end, honouring Retry-After.
class LongRunningOperation {
public:
  LongRunningOperation(ArmClient const& arm,
                       std::shared_ptr<core::Clock> clock,
                       LroOptions options);
  /// Waits until the operation started by `initial` ends. `resource_path`/`api_version` name the
  /// resource, polled when neither monitor header is present (an initial 200/201 whose
  /// provisioningState is terminal or absent is already done). Calls `progress` (may be empty)
  /// after every poll. Failed or Canceled throw http::ServiceError with the operation's error;
  /// the timeout throws core::TimeoutError; a failed poll throws what ArmClient throws.
  void wait(ArmResponse const& initial,
            std::string const& resource_path,
            std::string_view api_version,
            ProgressCallback const& progress) const;

  /// The clock and pacing, for other waits that should poll the same way.
  [[nodiscard]] std::shared_ptr<core::Clock> const& clock() const { return m_clock; }
  [[nodiscard]] LroOptions const& options() const { return m_options; }

private:
  ArmClient const& m_arm;
  std::shared_ptr<core::Clock> m_clock;
  LroOptions m_options;
};

} // namespace wisetup::azure
