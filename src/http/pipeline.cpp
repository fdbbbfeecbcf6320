#include <wisetup/http/pipeline.hpp>

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

} // namespace wisetup::http
