#pragma once

#include <string>
#include <string_view>
#include <vector>

/// ASCII text helpers: Azure resource ids, HTTP header names, provisioning states and permission
/// names all compare without regard to case.
namespace wisetup::core {

/// `text` in ASCII lower case.
[[nodiscard]] std::string to_lower(std::string_view text);

/// `url` without its trailing slashes ("https://login.test/" -> "https://login.test").
[[nodiscard]] std::string without_trailing_slash(std::string url);

/// Whether `left` and `right` are equal ignoring ASCII case.
[[nodiscard]] bool equals_ignoring_case(std::string_view left, std::string_view right);

/// The parts with `separator` between them: join({"get", "list"}, ",") is "get,list".
[[nodiscard]] std::string join(std::vector<std::string> const& parts, std::string_view separator);

} // namespace wisetup::core
