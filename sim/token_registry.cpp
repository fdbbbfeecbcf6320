#include "sim/token_registry.hpp"

#include "sim/encoding.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

#include <nlohmann/json.hpp>

namespace wisetup::sim {

std::string TokenRegistry::issue(IssuedToken const& token, std::string const& issuer) {
  auto const now = std::chrono::system_clock::now();
  nlohmann::json const header = {{"typ", "JWT"}, {"alg", "RS256"}, {"kid", "wi-setup-sim"}};
  nlohmann::json claims = {{"aud", token.audience},
                           {"iss", issuer},
                           {"iat", unix_seconds(now)},
                           {"nbf", unix_seconds(now)},
                           {"exp", unix_seconds(token.expires_at)},
                           {"appid", token.client_id},
                           {"appidacr", std::string(1, token.appidacr)},
                           {"idtyp", token.user_principal_name.empty() ? "app" : "user"},
                           {"oid", token.object_id},
                           {"sub", token.object_id},
                           {"tid", token.tenant_id},
                           {"uti", random_hex(8)},
                           {"ver", "1.0"}};
  if (!token.user_principal_name.empty()) {
    claims["upn"] = token.user_principal_name;
    claims["scp"] = "user_impersonation";
  }
  if (!token.identity_resource_id.empty()) {
    claims["xms_mirid"] = token.identity_resource_id;
  }
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

std::string TokenRegistry::issue_refresh(RefreshGrant const& grant) {
  // Opaque, like Entra's: only this simulator can read it.
  std::string refresh_token = "0.sim." + base64url_encode(random_bytes(48));
  std::lock_guard lock{m_mutex};
  m_refresh_tokens[refresh_token] = grant;
  return refresh_token;
}

std::optional<RefreshGrant> TokenRegistry::find_refresh(std::string const& refresh_token) const {
  std::lock_guard lock{m_mutex};
  auto const found = m_refresh_tokens.find(refresh_token);
  if (found == m_refresh_tokens.end()) {
    return std::nullopt;
  }
  return found->second;
}

} // namespace wisetup::sim
