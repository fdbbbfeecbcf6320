#pragma once

#include <chrono>

namespace wisetup::core {

/// Time and sleeping, injected so that retries and polling are testable without real waits.
class Clock {
public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
  /// Wall-clock seconds since the Unix epoch (token expiry, JWT claims).
  [[nodiscard]] virtual std::chrono::system_clock::time_point wall_now() const = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

/// The real clock.
class SystemClock final : public Clock {
public:
  [[nodiscard]] TimePoint now() const override { return std::chrono::steady_clock::now(); }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override {
    return std::chrono::system_clock::now();
  }
  /// Throws core::Stopped (stop_request.hpp) as soon as the run is asked to stop.
  void sleep_for(std::chrono::milliseconds duration) override;
};

} // namespace wisetup::core
