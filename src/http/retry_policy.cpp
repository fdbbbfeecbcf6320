#include <wisetup/http/redaction.hpp>
#include <wisetup/http/retry_after.hpp>
#include <wisetup/http/retry_policy.hpp>
#include <wisetup/http/transport.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

namespace wisetup::http {
namespace {

double random_jitter() {
  thread_local std::mt19937 generator{std::random_device{}()};
  // The Azure SDKs' range: spreads parallel clients without shortening waits much.
  std::uniform_real_distribution<double> distribution{0.8, 1.3};
  return distribution(generator);
}

} // namespace

RetryPolicy::RetryPolicy(RetryOptions options, std::shared_ptr<core::Clock> clock)
    : m_options(std::move(options)), m_clock(std::move(clock)) {}

std::chrono::milliseconds RetryPolicy::backoff(int retry) const {
  double const factor = m_options.jitter ? m_options.jitter() : random_jitter();
  // 2^30 times any base already exceeds every sensible cap; the bound keeps the double finite.
  double const exponential = static_cast<double>(m_options.base_delay.count()) *
                             std::ldexp(1.0, std::min(retry - 1, 30)) * factor;
  double const capped = std::min(exponential, static_cast<double>(m_options.max_delay.count()));
  return std::chrono::milliseconds{static_cast<std::int64_t>(std::max(capped, 0.0))};
}

Response RetryPolicy::send(Request& request, NextPolicy const& next) const {
  int const attempts = std::max(m_options.max_retries, 0) + 1;
  for (int attempt = 1;; ++attempt) {
    bool const last = attempt == attempts;
    // Later policies (bearer token, ...) modify the request; each attempt starts from the
    // request as this policy received it.
    Request copy = request;
    std::chrono::milliseconds delay{0};
    std::string reason;
    try {
      Response response = next.send(copy);
      if (last || !m_options.status_codes.contains(response.status)) {
        return response;
      }
      delay =
          std::min(retry_after(response.headers, m_clock->wall_now()).value_or(backoff(attempt)),
                   std::max(m_options.max_server_delay, m_options.max_delay));
      reason = "HTTP " + std::to_string(response.status);
    } catch (TransportError const& error) {
      if (last) {
        throw;
      }
      delay = backoff(attempt);
      reason = error.what();
    }
    spdlog::info("retrying {} {} in {} ms ({}; retry {} of {})",
                 to_string(request.method),
                 url_without_query(request.url),
                 delay.count(),
                 reason,
                 attempt,
                 attempts - 1);
    m_clock->sleep_for(delay);
  }
}

} // namespace wisetup::http
