#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/policy.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <set>

namespace wisetup::http {

/// Retry on throttling and transient failures, honouring Retry-After.
struct RetryOptions {
  /// Retries after the first attempt; 0 disables retrying.
  int max_retries = 5;
  /// Delay before the first retry without Retry-After; doubles on each further retry.
  std::chrono::milliseconds base_delay{800};
  /// Upper bound of the computed backoff (a server's Retry-After is honoured as given).
  std::chrono::milliseconds max_delay{60'000};
  /// The longest server-requested wait (Retry-After) honoured: a proxy asking for hours must not
  /// hang a run.
  std::chrono::milliseconds max_server_delay{300'000};
  /// Statuses worth another attempt. 429 is included because ARM and Graph throttle with it.
  std::set<int> status_codes{408, 429, 500, 502, 503, 504};
  /// Factor applied to each computed backoff, so that parallel clients spread out. Empty means a
  /// random factor in [0.8, 1.3]; tests inject a fixed one to assert exact delays.
  std::function<double()> jitter;
};

/// Resends a request that failed with a TransportError or answered with one of
/// RetryOptions::status_codes, at most max_retries times, sleeping through the Clock for the
/// server's Retry-After or else an exponential backoff. Each attempt sends a fresh copy of the
/// request as this policy received it. When attempts run out it returns the last response, or
/// rethrows the last TransportError.
class RetryPolicy final : public Policy {
public:
  RetryPolicy(RetryOptions options, std::shared_ptr<core::Clock> clock);
  [[nodiscard]] Response send(Request& request, NextPolicy const& next) const override;

private:
  [[nodiscard]] std::chrono::milliseconds backoff(int retry) const;

  RetryOptions m_options;
  std::shared_ptr<core::Clock> m_clock;
};

} // namespace wisetup::http
