#include <wisetup/core/clock.hpp>
#include <wisetup/core/stop_request.hpp>

namespace wisetup::core {

void SystemClock::sleep_for(std::chrono::milliseconds duration) {
  // A retry delay or a poll interval ends early, with Stopped, when the run is asked to stop.
  stop_request::sleep_for(duration);
}

} // namespace wisetup::core
