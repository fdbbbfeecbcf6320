#pragma once

#include <chrono>
#include <string>

namespace wisetup::sim {

/// RFC 3339 UTC with whole seconds, as Kubernetes writes timestamps: 2024-01-02T03:04:05Z.
[[nodiscard]] std::string utc_seconds(std::chrono::system_clock::time_point when);

/// RFC 3339 UTC with seven fractional digits, as ARM writes them: 2024-01-02T03:04:05.1234567Z.
[[nodiscard]] std::string utc_precise(std::chrono::system_clock::time_point when);

/// Seconds since the Unix epoch.
[[nodiscard]] long long unix_seconds(std::chrono::system_clock::time_point when);

} // namespace wisetup::sim
