#include <wisetup/core/error.hpp>
#include <wisetup/http/bearer_token_policy.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/http/url.hpp>

#include <spdlog/spdlog.h>

namespace wisetup::http {

BearerTokenPolicy::BearerTokenPolicy(std::shared_ptr<TokenCredential const> credential,
                                     std::string scope)
    : m_credential(std::move(credential)), m_scope(std::move(scope)) {}

Response BearerTokenPolicy::send(Request& request, NextPolicy const& next) const {
  if (parse_url(request.url).scheme != "https") {
    throw core::InvalidInput("refusing to send an Azure token over plain http to " +
                             url_without_query(request.url) +
                             "; use an https:// endpoint (see --cloud and the endpoint options)");
  }
  request.headers.set("Authorization", "Bearer " + m_credential->get_token(m_scope).token);
  Response response = next.send(request);
  if (response.status != 401) {
    return response;
  }
  // The token may have been revoked or have expired early: one fresh token, one more attempt.
  spdlog::debug("{} {} answered 401; fetching a fresh token for {} and resending once",
                to_string(request.method),
                url_without_query(request.url),
                m_scope);
  m_credential->invalidate(m_scope);
  request.headers.set("Authorization", "Bearer " + m_credential->get_token(m_scope).token);
  return next.send(request);
}

} // namespace wisetup::http
