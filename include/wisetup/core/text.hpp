#pragma once

#include <concepts>
#include <initializer_list>
#include <ranges>
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

/// `text` without its leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r). A view
/// into `text`: not for a temporary string, hence the deleted overload.
[[nodiscard]] std::string_view trimmed(std::string_view text);
std::string_view trimmed(std::string&& text) = delete;
[[nodiscard]] inline std::string_view trimmed(char const* text) {
  return trimmed(std::string_view(text));
}

/// Whether `left` and `right` are equal ignoring ASCII case.
[[nodiscard]] bool equals_ignoring_case(std::string_view left, std::string_view right);

/// Whether `url` is "https://" and something after it. The scheme in any case (RFC 3986: "HTTPS://"
/// is https too); nothing else about the URL is checked.
[[nodiscard]] bool is_https_url(std::string_view url);

/// The parts with `separator` between them: join({"get", "list"}, ",") is "get,list". Any range
/// of text: strings, string_views, C strings, or a view that makes them
/// (join(links | std::views::transform(&Link::name), ", ")).
template <std::ranges::input_range Parts>
requires std::convertible_to<std::ranges::range_reference_t<Parts>, std::string_view>
[[nodiscard]] std::string join(Parts&& parts, std::string_view separator) {
  std::string joined;
  bool first = true;
  for (auto&& part : parts) {
    if (!first) {
      joined += separator;
    }
    first = false;
    joined += std::string_view(part);
  }
  return joined;
}

[[nodiscard]] inline std::string join(std::initializer_list<std::string_view> parts,
                                      std::string_view separator) {
  return join(std::vector<std::string_view>(parts), separator);
}

} // namespace wisetup::core
