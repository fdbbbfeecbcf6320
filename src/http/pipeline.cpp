#include <wisetup/http/bearer_token_policy.hpp>
#include <wisetup/http/log_policy.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/read_only_policy.hpp>
#include <wisetup/http/request_id_policy.hpp>
#include <wisetup/http/retry_policy.hpp>
#include <wisetup/http/user_agent_policy.hpp>

namespace wisetup::http {

Response NextPolicy::send(Request& request) const {
  if (m_index == m_policies.size()) {
    return m_transport.send(request);
  }
  NextPolicy const after{m_policies, m_index + 1, m_transport};
  return m_policies[m_index]->send(request, after);
}

Pipeline::Pipeline(std::vector<std::unique_ptr<Policy>> policies,
                   std::shared_ptr<Transport> transport)
    : m_policies(std::move(policies)), m_transport(std::move(transport)) {}

Response Pipeline::send(Request request) const {
  NextPolicy const first{m_policies, 0, *m_transport};
  return first.send(request);
}

std::shared_ptr<Pipeline> make_pipeline(PipelineOptions const& options,
                                        std::shared_ptr<Transport> transport,
                                        std::shared_ptr<TokenCredential const> credential,
                                        std::string scope,
                                        std::shared_ptr<core::Clock> clock) {
  std::vector<std::unique_ptr<Policy>> policies;
  // First: a refused write must not even get a token or a request id.
  if (options.read_only) {
    policies.push_back(std::make_unique<ReadOnlyPolicy>());
  }
  // Per request: one client request id for all retries of a request.
  policies.push_back(std::make_unique<RequestIdPolicy>(options.correlation_id));
  policies.push_back(std::make_unique<UserAgentPolicy>(options.user_agent));
  policies.push_back(std::make_unique<RetryPolicy>(options.retry, clock));
  // Per attempt: a token checked on every retry, and one log line pair per attempt.
  if (credential) {
    policies.push_back(
        std::make_unique<BearerTokenPolicy>(std::move(credential), std::move(scope)));
  }
  policies.push_back(std::make_unique<LogPolicy>(std::move(clock)));
  return std::make_shared<Pipeline>(std::move(policies), std::move(transport));
}

} // namespace wisetup::http
