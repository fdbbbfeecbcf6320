#include <wisetup/http/user_agent_policy.hpp>

namespace wisetup::http {

UserAgentPolicy::UserAgentPolicy(std::string user_agent) : m_user_agent(std::move(user_agent)) {}

Response UserAgentPolicy::send(Request& request, NextPolicy const& next) const {
  if (!m_user_agent.empty()) {
    request.headers.set("User-Agent", m_user_agent);
  }
  return next.send(request);
}

} // namespace wisetup::http
