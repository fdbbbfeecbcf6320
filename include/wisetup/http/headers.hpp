#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wisetup::http {

/// HTTP header fields: names compare case-insensitively, insertion order is kept.
class Headers {
public:
  using Field = std::pair<std::string, std::string>;
  /// Replaces every field of that name.
  void set(std::string_view name, std::string_view value);
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return get(name).has_value(); }
  void erase(std::string_view name);
  [[nodiscard]] std::vector<Field> const& fields() const { return m_fields; }

private:
  std::vector<Field> m_fields;
};

} // namespace wisetup::http
