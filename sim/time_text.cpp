#include "sim/time_text.hpp"

#include <array>
#include <cstdio>
#include <ctime>

namespace wisetup::sim {

std::string utc_seconds(std::chrono::system_clock::time_point when) {
  std::time_t const seconds = std::chrono::system_clock::to_time_t(when);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text.data();
}

std::string utc_precise(std::chrono::system_clock::time_point when) {
  auto const whole = std::chrono::floor<std::chrono::seconds>(when);
  auto const ticks =
      std::chrono::duration_cast<std::chrono::nanoseconds>(when - whole).count() / 100;
  std::string text = utc_seconds(whole);
  text.pop_back(); // 'Z'
  std::array<char, 32> fraction{};
  std::snprintf(fraction.data(), fraction.size(), ".%07lldZ", static_cast<long long>(ticks));
  return text + fraction.data();
}

long long unix_seconds(std::chrono::system_clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}

} // namespace wisetup::sim
