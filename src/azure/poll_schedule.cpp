#include "azure/poll_schedule.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/retry_after.hpp>

#include <algorithm>
#include <cctype>

namespace wisetup::azure::detail {

std::string format_duration(std::chrono::milliseconds duration) {
  auto const seconds = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
  if (seconds < 60) {
    return std::to_string(seconds) + " s";
  }
  return std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s";
}

bool same_status(std::string_view left, std::string_view right) {
  return core::equals_ignoring_case(left, right);
}

PollSchedule::PollSchedule(core::Clock& clock, LroOptions const& options)
    : m_clock(clock), m_start(clock.now()),
      m_timeout(options.deadline ? std::max(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                *options.deadline - m_start),
                                            std::chrono::milliseconds{0})
                                 : std::chrono::milliseconds{options.timeout}),
      m_interval(options.initial_interval), m_steady_for(options.steady_for),
      m_max_interval(std::max(options.max_interval, options.initial_interval)) {}

std::chrono::milliseconds PollSchedule::elapsed() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.now() - m_start);
}

void PollSchedule::wait(http::Headers const& last_answer,
                        std::string_view what,
                        std::string_view last_status) {
  auto const spent = elapsed();
  if (spent >= m_timeout) {
    throw core::TimeoutError("Timed out after " + format_duration(spent) + " waiting for " +
                             std::string(what) + " (last status " + std::string(last_status) +
                             "); it may still be running in Azure: check it in the portal, then "
                             "re-run wi-setup.");
  }
  auto delay = http::retry_after(last_answer, m_clock.wall_now());
  if (!delay) {
    delay = m_interval;
    if (spent >= m_steady_for) {
      m_interval = std::min(m_max_interval, m_interval * 3 / 2);
    }
  }
  m_clock.sleep_for(std::min(*delay, m_timeout - spent));
}

} // namespace wisetup::azure::detail
