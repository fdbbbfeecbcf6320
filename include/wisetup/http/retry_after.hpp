#pragma once

#include <wisetup/http/headers.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace wisetup::http {

/// How long the server asked us to wait, from (first match wins) retry-after-ms,
/// x-ms-retry-after-ms (milliseconds), or Retry-After in seconds or as an HTTP-date (RFC 9110,
/// compared with `now`; a date in the past means no wait). nullopt when none is present or
/// readable. Never throws.
[[nodiscard]] std::optional<std::chrono::milliseconds>
retry_after(Headers const& headers, std::chrono::system_clock::time_point now);

/// Parses an HTTP-date in IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850
/// ("Sunday, 06-Nov-94 08:49:37 GMT") or asctime ("Sun Nov  6 08:49:37 1994") form.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point>
parse_http_date(std::string_view text);

} // namespace wisetup::http
