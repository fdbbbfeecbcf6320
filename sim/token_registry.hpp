#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace wisetup::sim {

/// What the simulator remembers about an access token it issued.
struct IssuedToken {
  std::string object_id; ///< the signed-in principal (service principal, identity or user)
  std::string client_id; ///< the application (or identity) that asked
  std::string tenant_id;
  std::string audience; ///< resource the token is for, e.g. https://management.core.windows.net/
  std::chrono::system_clock::time_point expires_at;
  /// "1" client secret, "2" certificate, federated token or managed identity, "0" public client
  char appidacr = '1';
  std::string user_principal_name;  ///< set for a user's token (device code); "idtyp" is then user
  std::string identity_resource_id; ///< a user-assigned identity's ARM id ("xms_mirid")
};

/// A refresh token of a user's sign-in (device code with offline_access).
struct RefreshGrant {
  std::string object_id; ///< the user
  std::string client_id; ///< the public client it was issued to
  std::string tenant_id;
  std::string user_principal_name;
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

  /// Makes every access token issued so far expire now (POST /_sim/tokens/expire); refresh
  /// tokens stay valid, as a client that renews would find them.
  void expire_all();

  /// Issues an opaque refresh token for `grant`. Secret: never logged.
  [[nodiscard]] std::string issue_refresh(RefreshGrant const& grant);
  /// The grant of a refresh token this simulator issued (expired ones included).
  [[nodiscard]] std::optional<RefreshGrant> find_refresh(std::string const& refresh_token) const;

private:
  mutable std::mutex m_mutex;
  std::map<std::string, IssuedToken> m_tokens;
  std::map<std::string, RefreshGrant> m_refresh_tokens;
};

} // namespace wisetup::sim
