#include <wisetup/core/text.hpp>

#include <algorithm>
#include <cctype>

namespace wisetup::core {

std::string to_lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return result;
}

std::string without_trailing_slash(std::string value) {
  while (!value.empty() && value.back() == '/') {
    value.pop_back();
  }
  return value;
}

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view k_space = " \t\n\v\f\r";
  auto const first = text.find_first_not_of(k_space);
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(k_space) - first + 1);
}

bool equals_ignoring_case(std::string_view left, std::string_view right) {
  return std::equal(left.begin(), left.end(), right.begin(), right.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

bool is_https_url(std::string_view url) {
  constexpr std::string_view k_prefix = "https://";
  return url.size() > k_prefix.size() &&
         equals_ignoring_case(url.substr(0, k_prefix.size()), k_prefix);
}

} // namespace wisetup::core
