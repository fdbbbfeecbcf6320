#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>

namespace wisetup::identity::detail {

/// A whole number of seconds from a JSON number or a string of digits (managed identity
/// endpoints send "3599", Entra and the Azure CLI send 3599). nullopt for anything else, a
/// negative value and one past the year 2100 included (so that time points built from it stay
/// representable). Never throws.
[[nodiscard]] std::optional<std::chrono::seconds> json_seconds(nlohmann::json const& value);

/// A point in time given as seconds since the Unix epoch, in either form json_seconds reads.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point>
json_epoch(nlohmann::json const& value);

/// Seconds since the Unix epoch as a time point; nullopt before 1970 or after 2100, where no
/// token expires (and past 2262 system_clock cannot count).
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> epoch_time(std::int64_t seconds);

} // namespace wisetup::identity::detail
