#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace wisetup::sim {

/// What the simulator remembers about an access token it issued.
struct IssuedToken {
  std::string object_id; ///< the signed-in service principal
  std::string client_id;
  std::string tenant_id;
  std::string audience; ///< resource the token is for, e.g. https://management.core.windows.net/
  std::chrono::system_clock::time_point expires_at;
};

/// Access tokens issued by the token endpoint. They are JWT-shaped (header.claims.signature with
/// real aud/iss/oid/tid/exp claims) but not signed: ARM and the Kubernetes API look them up here.
/// Thread-safe; survives PUT /_sim/state so that clients keep their cached tokens.
class TokenRegistry {
public:
  /// Issues a token for `token` and returns the access_token string. `issuer` goes into "iss".
  [[nodiscard]] std::string issue(IssuedToken const& token, std::string const& issuer);

  /// The token's record, if this simulator issued it (expired ones included).
  [[nodiscard]] std::optional<IssuedToken> find(std::string const& access_token) const;

  /// Makes every token issued so far expire now (POST /_sim/tokens/expire).
  void expire_all();

private:
  mutable std::mutex m_mutex;
  std::map<std::string, IssuedToken> m_tokens;
};

} // namespace wisetup::sim
