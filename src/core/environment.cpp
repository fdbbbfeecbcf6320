#include <wisetup/core/environment.hpp>

#include <cstdlib>

namespace wisetup::core {

std::optional<std::string> ProcessEnvironment::get(std::string_view name) const {
  // getenv is safe here: nothing in wi-setup calls setenv after start-up.
  char const* value = std::getenv(std::string(name).c_str()); // NOLINT(concurrency-mt-unsafe)
  if (value == nullptr || *value == '\0') {
    return std::nullopt;
  }
  return std::string(value);
}

std::optional<std::string> MapEnvironment::get(std::string_view name) const {
  auto found = m_values.find(std::string(name));
  if (found == m_values.end() || found->second.empty()) {
    return std::nullopt;
  }
  return found->second;
}

} // namespace wisetup::core
