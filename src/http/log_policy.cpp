#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/log_policy.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/url.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace wisetup::http {
namespace {

// Headers whose values carry no secret. Everything else (Authorization, cookies, SAS, custom
// headers) prints as REDACTED.
constexpr std::array<std::string_view, 9> k_harmless_headers{
    "content-type",
    "retry-after",
    "retry-after-ms",
    "x-ms-retry-after-ms",
    "x-ms-request-id",
    "x-ms-correlation-request-id",
    "x-ms-client-request-id",
    "etag",
    "if-match",
};

std::string without_query(std::string const& url) {
  if (!url.empty() && url.front() == '/') { // a relative Location
    return url.substr(0, url.find_first_of("?#"));
  }
  return url_without_query(url);
}

void log_headers(spdlog::logger& logger, std::string_view arrow, Headers const& headers) {
  for (auto const& [name, value] : headers.fields()) {
    logger.trace("{} {}: {}", arrow, name, loggable_header_value(name, value));
  }
}

} // namespace

std::string loggable_header_value(std::string_view name, std::string const& value) {
  auto const key = core::to_lower(name);
  if (std::find(k_harmless_headers.begin(), k_harmless_headers.end(), key) !=
          k_harmless_headers.end() ||
      key.starts_with("x-ms-ratelimit-remaining-")) {
    return value;
  }
  if (key == "location") {
    return without_query(value);
  }
  if (key == "azure-asyncoperation") {
    auto result = without_query(value);
    auto const question = value.find('?');
    if (question != std::string::npos) {
      if (auto const version = query_parameter(value.substr(question + 1), "api-version")) {
        result += "?api-version=" + percent_encode(*version);
      }
    }
    return result;
  }
  return k_redacted;
}

LogPolicy::LogPolicy(std::shared_ptr<core::Clock> clock) : m_clock(std::move(clock)) {}

Response LogPolicy::send(Request& request, NextPolicy const& next) const {
  // Looked up per request so that the logger main() installs later is the one used.
  auto& logger = *spdlog::default_logger_raw();
  if (!logger.should_log(spdlog::level::debug)) {
    return next.send(request);
  }
  logger.debug("→ {} {}", to_string(request.method), redact_url(request.url));
  if (logger.should_log(spdlog::level::trace)) {
    log_headers(logger, "→", request.headers);
  }
  auto const start = m_clock->now();
  auto const elapsed_ms = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(m_clock->now() - start).count();
  };
  Response response;
  try {
    response = next.send(request);
  } catch (core::Error const& error) {
    // wi-setup's own errors are written to be shown: they name hosts, never secrets.
    logger.debug("← failed after {} ms: {}", elapsed_ms(), error.what());
    throw;
  } catch (...) {
    logger.debug("← failed after {} ms", elapsed_ms());
    throw;
  }
  auto const request_id = response.headers.get("x-ms-request-id");
  logger.debug("← {} ({} ms){}{}",
               response.status,
               elapsed_ms(),
               request_id ? " x-ms-request-id=" : "",
               request_id.value_or(""));
  if (logger.should_log(spdlog::level::trace)) {
    log_headers(logger, "←", response.headers);
  }
  return response;
}

} // namespace wisetup::http
