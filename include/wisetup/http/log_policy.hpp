#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/headers.hpp>
#include <wisetup/http/policy.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace wisetup::http {

/// Logs each attempt through spdlog's default logger: at debug "→ PUT <redacted URL>" and
/// "← 201 (123 ms) x-ms-request-id=...", at trace the headers. Allow-list only: the URL keeps
/// api-version alone, header values not known to be harmless print as REDACTED, and bodies are
/// never logged. Rethrows whatever the rest of the pipeline throws, after logging it.
class LogPolicy final : public Policy {
public:
  explicit LogPolicy(std::shared_ptr<core::Clock> clock);
  [[nodiscard]] Response send(Request& request, NextPolicy const& next) const override;

private:
  std::shared_ptr<core::Clock> m_clock;
};

/// The value of a header as LogPolicy prints it: harmless headers as they are (Location and
/// Azure-AsyncOperation without their query, except api-version), anything else REDACTED.
[[nodiscard]] std::string loggable_header_value(std::string_view name, std::string const& value);

} // namespace wisetup::http
