#pragma once

#include <wisetup/http/policy.hpp>

#include <memory>
#include <string>

namespace wisetup::http {

class TokenCredential;

/// Adds "Authorization: Bearer <token>" for `scope` to every attempt (after the retry policy, so
/// each retry asks again; the credential caches). On a 401 it invalidates the token, asks for a
/// fresh one and resends once.
/// Throws core::InvalidInput for a URL that is not https (a token is never sent in clear text),
/// and whatever the credential throws (core::AuthenticationError, TransportError).
class BearerTokenPolicy final : public Policy {
public:
  BearerTokenPolicy(std::shared_ptr<TokenCredential const> credential, std::string scope);
  [[nodiscard]] Response send(Request& request, NextPolicy const& next) const override;

private:
  std::shared_ptr<TokenCredential const> m_credential;
  std::string m_scope;
};

} // namespace wisetup::http
