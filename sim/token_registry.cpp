#include "sim/token_registry.hpp"

#include "sim/encoding.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

#include <nlohmann/json.hpp>

namespace wisetup::sim {

std::string TokenRegistry::issue(IssuedToken const& token, std::string const& issuer) {
  auto const now = std::chrono::system_clock::now();
  nlohmann::json const header = {{"typ", "JWT"}, {"alg", "RS256"}, {"kid", "wi-setup-sim"}};
  nlohmann::json const claims = {{"aud", token.audience},
                                 {"iss", issuer},
                                 {"iat", unix_seconds(now)},
                                 {"nbf", unix_seconds(now)},
                                 {"exp", unix_seconds(token.expires_at)},
                                 {"appid", token.client_id},
                                 {"appidacr", "1"},
                                 {"idtyp", "app"},
                                 {"oid", token.object_id},
                                 {"sub", token.object_id},
                                 {"tid", token.tenant_id},
                                 {"uti", random_hex(8)},
                                 {"ver", "1.0"}};
  std::string access_token = base64url_encode(header.dump()) + "." +
                             base64url_encode(claims.dump()) + "." +
                             base64url_encode(random_bytes(32));
  std::lock_guard lock{m_mutex};
  m_tokens[access_token] = token;
  return access_token;
}

std::optional<IssuedToken> TokenRegistry::find(std::string const& access_token) const {
  std::lock_guard lock{m_mutex};
  auto const found = m_tokens.find(access_token);
  if (found == m_tokens.end()) {
    return std::nullopt;
  }
  return found->second;
}

void TokenRegistry::expire_all() {
  auto const now = std::chrono::system_clock::now() - std::chrono::seconds{1};
  std::lock_guard lock{m_mutex};
  for (auto& [access_token, token] : m_tokens) {
    if (token.expires_at > now) {
      token.expires_at = now;
    }
  }
}

} // namespace wisetup::sim
