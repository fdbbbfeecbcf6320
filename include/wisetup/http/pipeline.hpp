#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/policy.hpp>
#include <wisetup/http/transport.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace wisetup::identity {
class TokenCredential;
}

namespace wisetup::http {

/// Retry on throttling and transient failures, honouring Retry-After.
struct RetryOptions {
  int max_retries = 5;
  std::chrono::milliseconds base_delay{800};
  std::chrono::milliseconds max_delay{60'000};
  std::set<int> status_codes{408, 429, 500, 502, 503, 504};
};

struct PipelineOptions {
  std::string user_agent = "wi-setup";
  /// Sent as x-ms-correlation-request-id on every request of one run.
  std::string correlation_id;
  RetryOptions retry;
};

/// Policies over a transport. Order: request id, user agent, retry, bearer token, log, transport.
/// Thread-safe: steps running in parallel share one pipeline.
class Pipeline {
public:
  Pipeline(std::vector<std::unique_ptr<Policy>> policies, std::shared_ptr<Transport> transport);
  [[nodiscard]] Response send(Request request) const;

private:
  std::vector<std::unique_ptr<Policy>> m_policies;
  std::shared_ptr<Transport> m_transport;
};

/// The standard pipeline. With a credential, every request carries a bearer token for `scope`
/// (https only); without one (Kubernetes with client certificates) no Authorization is added.
[[nodiscard]] std::shared_ptr<Pipeline>
make_pipeline(PipelineOptions const& options,
              std::shared_ptr<Transport> transport,
              std::shared_ptr<identity::TokenCredential const> credential,
              std::string scope,
              std::shared_ptr<core::Clock> clock);

} // namespace wisetup::http
