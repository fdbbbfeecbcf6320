#pragma once

#include <wisetup/core/clock.hpp>

#include <chrono>
#include <mutex>
#include <vector>

namespace wisetup::testing {

/// A clock that only moves when slept on; records every sleep so tests can assert delays.
class ManualClock final : public core::Clock {
public:
  [[nodiscard]] TimePoint now() const override {
    std::lock_guard const lock{m_mutex};
    return TimePoint{} + m_elapsed;
  }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override {
    std::lock_guard const lock{m_mutex};
    return std::chrono::system_clock::time_point{std::chrono::seconds{1'800'000'000}} +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(m_elapsed);
  }
  void sleep_for(std::chrono::milliseconds duration) override {
    std::lock_guard const lock{m_mutex};
    m_elapsed += duration;
    m_sleeps.push_back(duration);
  }
  void advance(std::chrono::milliseconds duration) {
    std::lock_guard const lock{m_mutex};
    m_elapsed += duration;
  }
  [[nodiscard]] std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard const lock{m_mutex};
    return m_sleeps;
  }

private:
  mutable std::mutex m_mutex;
  std::chrono::milliseconds m_elapsed{0};
  std::vector<std::chrono::milliseconds> m_sleeps;
};

} // namespace wisetup::testing
