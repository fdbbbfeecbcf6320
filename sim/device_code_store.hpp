#pragma once

#include "sim/options.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace wisetup::sim {

/// One device code sign-in (reference section 7.4).
struct DeviceCodeSession {
  std::string device_code; ///< what the client polls with. Secret: never logged
  std::string user_code;   ///< what the user types at the verification page
  std::string client_id;
  std::string tenant_id;
  std::string resource; ///< audience of the token it ends with
  std::string scope;    ///< the scope the client asked for, as given
  bool offline_access = false;
  std::chrono::system_clock::time_point created_at;
  std::chrono::steady_clock::time_point expires_at;
  std::chrono::steady_clock::time_point last_poll; ///< or the start, before the first poll
  Seconds interval{1.0};
  std::string status = "pending"; ///< pending, approved, declined or redeemed
  std::string user;               ///< object id of the user who approved
  int pending_polls = 0;          ///< polls answered authorization_pending
};

/// Device code sign-ins in progress. Thread-safe; survives PUT /_sim/state.
class DeviceCodeStore {
public:
  /// Starts a sign-in that expires after `lifetime` and may be polled every `interval`.
  [[nodiscard]] DeviceCodeSession start(std::string const& client_id,
                                        std::string const& tenant_id,
                                        std::string const& resource,
                                        std::string const& scope,
                                        bool offline_access,
                                        Seconds lifetime,
                                        Seconds interval);

  /// One poll of the token endpoint, as RFC 8628 and Entra answer it. Returns the session when it
  /// was approved (it is redeemed then: a second poll fails). Throws EntraError:
  /// bad_verification_code (unknown code), invalid_grant (another client's code, or redeemed),
  /// expired_token, authorization_declined, slow_down (polled sooner than the interval, which
  /// grows by 5 s), authorization_pending. With `auto_approve_polls` = N, the session is approved
  /// by `default_user` once N polls were answered authorization_pending.
  [[nodiscard]] DeviceCodeSession poll(std::string const& device_code,
                                       std::string const& client_id,
                                       std::optional<int> auto_approve_polls,
                                       std::string const& default_user);

  /// Approves (as `user`, an object id) or declines the pending sign-in with `user_code`
  /// (case-insensitive, dashes and spaces ignored). Returns an empty string, or why it cannot:
  /// unknown code, expired, or already decided.
  [[nodiscard]] std::string
  decide(std::string const& user_code, bool approve, std::string const& user);

  /// The sign-ins, newest last, without device codes: [{"user_code","client_id","scope",
  /// "status","user","polls","expires_in"}].
  [[nodiscard]] nlohmann::json to_json() const;

private:
  mutable std::mutex m_mutex;
  std::map<std::string, DeviceCodeSession> m_sessions; ///< by device code
};

} // namespace wisetup::sim
