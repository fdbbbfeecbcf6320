#pragma once

#include <wisetup/azure/long_running_operation.hpp>
#include <wisetup/core/clock.hpp>
#include <wisetup/http/headers.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace wisetup::azure::detail {

/// "12 s" or "4 min 5 s", for messages.
[[nodiscard]] std::string format_duration(std::chrono::milliseconds duration);

/// Paces the polls of one wait: the server's delay when the last answer asked for one
/// (Retry-After, read by http::retry_after like the retry policy does), otherwise an
/// interval that stays at `initial_interval` for `steady_for`, then grows x1.5 (each time it is
/// used) up to `max_interval`; one overall deadline `timeout` after construction.
class PollSchedule {
public:
  PollSchedule(core::Clock& clock, LroOptions const& options);

  [[nodiscard]] std::chrono::milliseconds elapsed() const;
  /// Sleeps until the next poll is due, never past the deadline. Throws core::TimeoutError
  /// naming `what`, the elapsed time and `last_status` once the deadline has passed.
  void wait(http::Headers const& last_answer, std::string_view what, std::string_view last_status);

private:
  core::Clock& m_clock;
  core::Clock::TimePoint m_start;
  std::chrono::milliseconds m_timeout;
  std::chrono::milliseconds m_interval;
  std::chrono::milliseconds m_steady_for;
  std::chrono::milliseconds m_max_interval;
};

/// Case-insensitive comparison for provisioning states and operation statuses.
[[nodiscard]] bool same_status(std::string_view left, std::string_view right);

} // namespace wisetup::azure::detail
