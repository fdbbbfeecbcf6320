#include "token_expiry.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace wisetup::identity::detail {

namespace {
constexpr std::int64_t k_max_seconds = 4'102'444'800; // 2100-01-01T00:00:00Z
} // namespace

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
  // system_clock counts nanoseconds in 64 bits, up to the year 2262. Bounding every value at the
  // start of 2100 (as an epoch, or as a lifetime added to today) keeps the conversion to that
  // clock, and adding a lifetime to now, from overflowing; no real token lives that long.
  if (seconds < 0 || seconds > k_max_seconds) {
    return std::nullopt;
  }
  return std::chrono::seconds{seconds};
}

std::optional<std::chrono::system_clock::time_point> json_epoch(nlohmann::json const& value) {
  auto const seconds = json_seconds(value);
  if (!seconds) {
    return std::nullopt;
  }
  return epoch_time(seconds->count());
}

std::optional<std::chrono::system_clock::time_point> epoch_time(std::int64_t seconds) {
  if (seconds < 0 || seconds > k_max_seconds) {
    return std::nullopt;
  }
  return std::chrono::system_clock::time_point{
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds{seconds})};
}

} // namespace wisetup::identity::detail
