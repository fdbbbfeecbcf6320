#include <wisetup/core/text.hpp>
#include <wisetup/http/retry_after.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

namespace wisetup::http {
namespace {

constexpr std::int64_t k_longest_wait_seconds = 1'000'000'000;

/// A non-negative decimal integer, nothing else.
std::optional<std::int64_t> whole_number(std::string_view text) {
  text = core::trimmed(text);
  std::int64_t value = 0;
  auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

std::optional<unsigned> month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> k_months{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < k_months.size(); ++i) {
    if (core::equals_ignoring_case(name, k_months[i])) {
      return static_cast<unsigned>(i + 1);
    }
  }
  return std::nullopt;
}

std::optional<std::chrono::seconds> time_of_day(std::string_view text) {
  std::array<std::int64_t, 3> parts{};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto const colon = text.find(':');
    if ((colon == std::string_view::npos) != (i == parts.size() - 1)) {
      return std::nullopt;
    }
    auto const value = whole_number(text.substr(0, colon));
    if (!value) {
      return std::nullopt;
    }
    parts[i] = *value;
    text = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  }
  if (parts[0] > 23 || parts[1] > 59 || parts[2] > 60) {
    return std::nullopt;
  }
  return std::chrono::hours{parts[0]} + std::chrono::minutes{parts[1]} +
         std::chrono::seconds{parts[2]};
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  // The three forms differ only in separators and order, so read tokens by their shape:
  // the numbers are day then year, the name of a month, and hh:mm:ss.
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ' || text[i] == ',' || text[i] == '-' || text[i] == '\t') {
      if (i > start) {
        tokens.push_back(text.substr(start, i - start));
      }
      start = i + 1;
    }
  }
  std::optional<unsigned> month;
  std::optional<std::chrono::seconds> time;
  std::vector<std::int64_t> numbers;
  for (auto const token : tokens) {
    if (token.find(':') != std::string_view::npos) {
      time = time_of_day(token);
      if (!time) {
        return std::nullopt;
      }
    } else if (auto const number = whole_number(token)) {
      numbers.push_back(*number);
    } else if (auto const found = month_number(token)) {
      month = found;
    }
  }
  if (!month || !time || numbers.size() != 2) {
    return std::nullopt;
  }
  auto year = numbers[1];
  if (year < 100) {
    year += year < 70 ? 2000 : 1900; // RFC 850 two-digit years
  }
  std::chrono::year_month_day const date{std::chrono::year{static_cast<int>(year)},
                                         std::chrono::month{*month},
                                         std::chrono::day{static_cast<unsigned>(numbers[0])}};
  if (!date.ok() || numbers[0] > 31) {
    return std::nullopt;
  }
  // system_clock counts nanoseconds in 64 bits (years 1678 to 2262): converting a date outside
  // that ("Fri, 31 Dec 9999 23:59:59 GMT") would overflow, so saturate at the ends instead.
  using TimePoint = std::chrono::system_clock::time_point;
  auto const seconds = std::chrono::sys_seconds{std::chrono::sys_days{date}} + *time;
  if (seconds < std::chrono::ceil<std::chrono::seconds>(TimePoint::min())) {
    return TimePoint::min();
  }
  if (seconds > std::chrono::floor<std::chrono::seconds>(TimePoint::max())) {
    return TimePoint::max();
  }
  return seconds;
}

std::optional<std::chrono::milliseconds> retry_after(Headers const& headers,
                                                     std::chrono::system_clock::time_point now) {
  for (auto const* name : {"retry-after-ms", "x-ms-retry-after-ms"}) {
    if (auto const value = headers.get(name)) {
      if (auto const milliseconds = whole_number(*value)) {
        return std::chrono::milliseconds{
            std::min<std::int64_t>(*milliseconds, k_longest_wait_seconds * 1000)};
      }
    }
  }
  auto const value = headers.get("Retry-After");
  if (!value) {
    return std::nullopt;
  }
  if (auto const seconds = whole_number(*value)) {
    // Bounded so that the conversion to milliseconds cannot overflow.
    return std::chrono::seconds{std::min<std::int64_t>(*seconds, k_longest_wait_seconds)};
  }
  if (auto const date = parse_http_date(core::trimmed(*value))) {
    if (*date <= now) {
      return std::chrono::milliseconds{0};
    }
    return std::chrono::ceil<std::chrono::milliseconds>(*date - now);
  }
  return std::nullopt;
}

} // namespace wisetup::http
