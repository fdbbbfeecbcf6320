#include <wisetup/core/clock.hpp>

#include <thread>

namespace wisetup::core {

void SystemClock::sleep_for(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

} // namespace wisetup::core
