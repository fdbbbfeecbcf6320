#include <wisetup/http/headers.hpp>

#include <algorithm>
#include <cctype>

namespace wisetup::http {
namespace {

bool same_name(std::string_view left, std::string_view right) {
  return std::equal(left.begin(), left.end(), right.begin(), right.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

} // namespace

void Headers::set(std::string_view name, std::string_view value) {
  erase(name);
  m_fields.emplace_back(std::string(name), std::string(value));
}

std::optional<std::string> Headers::get(std::string_view name) const {
  for (auto const& [field_name, field_value] : m_fields) {
    if (same_name(field_name, name)) {
      return field_value;
    }
  }
  return std::nullopt;
}

void Headers::erase(std::string_view name) {
  std::erase_if(m_fields, [&](Field const& field) { return same_name(field.first, name); });
}

} // namespace wisetup::http
