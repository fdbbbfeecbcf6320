#pragma once

#include <string>
#include <string_view>

/// ASCII text helpers: Azure resource ids, HTTP header names, provisioning states and permission
/// names all compare without regard to case.
namespace wisetup::core {

/// `text` in ASCII lower case.
[[nodiscard]] std::string to_lower(std::string_view text);

/// `url` without its trailing slashes ("https://login.test/" -> "https://login.test").
[[nodiscard]] std::string without_trailing_slash(std::string url);

/// Whether `left` and `right` are equal ignoring ASCII case.
[[nodiscard]] bool equals_ignoring_case(std::string_view left, std::string_view right);

} // namespace wisetup::core
