#include <wisetup/http/guid.hpp>
#include <wisetup/http/request_id_policy.hpp>

namespace wisetup::http {

RequestIdPolicy::RequestIdPolicy(std::string correlation_id)
    : m_correlation_id(std::move(correlation_id)) {}

Response RequestIdPolicy::send(Request& request, NextPolicy const& next) const {
  request.headers.set("x-ms-client-request-id", random_guid());
  if (!m_correlation_id.empty()) {
    request.headers.set("x-ms-correlation-request-id", m_correlation_id);
  }
  return next.send(request);
}

} // namespace wisetup::http
