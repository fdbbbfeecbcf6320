#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace wisetup::core {

/// Read access to environment variables, injected so tests never touch the process environment.
class Environment {
public:
  virtual ~Environment() = default;
  /// The value, or nullopt when the variable is unset or empty.
  [[nodiscard]] virtual std::optional<std::string> get(std::string_view name) const = 0;
};

/// The process environment.
class ProcessEnvironment final : public Environment {
public:
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const override;
};

/// A fixed set of variables, for tests.
class MapEnvironment final : public Environment {
public:
  explicit MapEnvironment(std::map<std::string, std::string> values)
      : m_values(std::move(values)) {}
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const override;

private:
  std::map<std::string, std::string> m_values;
};

} // namespace wisetup::core
