#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/policy.hpp>
#include <wisetup/http/retry_policy.hpp>
#include <wisetup/http/transport.hpp>

#include <memory>
#include <string>
#include <vector>

namespace wisetup::http {

class TokenCredential;

struct PipelineOptions {
  std::string user_agent = "wi-setup";
  /// Sent as x-ms-correlation-request-id on every request of one run.
  std::string correlation_id;
  RetryOptions retry;
  /// `plan`: a ReadOnlyPolicy refuses every request that could write, before it is sent.
  bool read_only = false;
};

/// Policies over a transport. Order: request id, user agent, retry, bearer token, log, transport.
/// Thread-safe: steps running in parallel share one pipeline.
class Pipeline {
public:
  Pipeline(std::vector<std::unique_ptr<Policy>> policies, std::shared_ptr<Transport> transport);
  /// Sends through every policy, then the transport. Throws TransportError when no response
  /// could be read (after retries), and whatever a policy throws (see each policy).
  [[nodiscard]] Response send(Request request) const;

private:
  std::vector<std::unique_ptr<Policy>> m_policies;
  std::shared_ptr<Transport> m_transport;
};

/// The standard pipeline: ReadOnlyPolicy (only with `options.read_only`), RequestIdPolicy,
/// UserAgentPolicy, RetryPolicy, BearerTokenPolicy (only with a credential), LogPolicy, then the
/// transport. With a credential, every request carries a
/// bearer token for `scope` (https only); without one (Kubernetes with client certificates, the
/// token endpoint itself) no Authorization is added. `clock` times the retries and the log.
[[nodiscard]] std::shared_ptr<Pipeline>
make_pipeline(PipelineOptions const& options,
              std::shared_ptr<Transport> transport,
              std::shared_ptr<TokenCredential const> credential,
              std::string scope,
              std::shared_ptr<core::Clock> clock);

} // namespace wisetup::http
