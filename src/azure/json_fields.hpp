#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace wisetup::azure::detail {

/// Defensive readers for service answers: a missing member or one of another type reads as
/// empty/false/null instead of throwing nlohmann's type errors.
[[nodiscard]] nlohmann::json const* find_path(nlohmann::json const& object,
                                              std::initializer_list<std::string_view> names);
[[nodiscard]] std::string string_at(nlohmann::json const& object,
                                    std::initializer_list<std::string_view> names);
[[nodiscard]] bool bool_at(nlohmann::json const& object,
                           std::initializer_list<std::string_view> names);
/// The string elements of an array member (other elements skipped).
[[nodiscard]] std::vector<std::string> strings_at(nlohmann::json const& object,
                                                  std::initializer_list<std::string_view> names);

} // namespace wisetup::azure::detail
