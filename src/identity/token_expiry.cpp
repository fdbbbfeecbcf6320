#include "token_expiry.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace wisetup::identity::detail {

std::optional<std::chrono::seconds> json_seconds(nlohmann::json const& value) {
  std::int64_t seconds = -1;
  if (value.is_number_integer()) {
    seconds = value.get<std::int64_t>();
  } else if (value.is_number_float()) {
    double const number = value.get<double>();
    // Bounded so that the conversion below is defined.
    if (std::isfinite(number) && number >= 0 && number < 1e15) {
      seconds = static_cast<std::int64_t>(number);
    }
  } else if (value.is_string()) {
    auto const& text = value.get_ref<std::string const&>();
    auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
      seconds = -1;
    }
  }
  // A year 10000 bound keeps later arithmetic on time points from overflowing.
  if (seconds < 0 || seconds > 253'402'300'799) {
    return std::nullopt;
  }
  return std::chrono::seconds{seconds};
}

std::optional<std::chrono::system_clock::time_point> json_epoch(nlohmann::json const& value) {
  auto const seconds = json_seconds(value);
  if (!seconds) {
    return std::nullopt;
  }
  return std::chrono::system_clock::time_point{
      std::chrono::duration_cast<std::chrono::system_clock::duration>(*seconds)};
}

} // namespace wisetup::identity::detail
