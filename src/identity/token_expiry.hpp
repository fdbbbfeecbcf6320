#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
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

} // namespace wisetup::identity::detail
