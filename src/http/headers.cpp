#include <wisetup/core/text.hpp>
#include <wisetup/http/headers.hpp>

#include <algorithm>
#include <cctype>

namespace wisetup::http {
namespace {} // namespace

void Headers::set(std::string_view name, std::string_view value) {
  erase(name);
  m_fields.emplace_back(std::string(name), std::string(value));
}

std::optional<std::string> Headers::get(std::string_view name) const {
  for (auto const& [field_name, field_value] : m_fields) {
    if (core::equals_ignoring_case(field_name, name)) {
      return field_value;
    }
  }
  return std::nullopt;
}

void Headers::erase(std::string_view name) {
  std::erase_if(m_fields,
                [&](Field const& field) { return core::equals_ignoring_case(field.first, name); });
}

} // namespace wisetup::http
