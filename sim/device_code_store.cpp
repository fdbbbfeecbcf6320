#include "sim/device_code_store.hpp"

#include "sim/encoding.hpp"
#include "sim/entra_error.hpp"
#include "sim/random_values.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace wisetup::sim {
namespace {

// RFC 8628 section 3.5: each slow_down adds five seconds to the interval.
constexpr Seconds k_slow_down_step{5.0};
// Polls may arrive this much before the interval is over (timer jitter) without a slow_down.
constexpr double k_interval_tolerance = 0.9;

std::string normalised_user_code(std::string const& text) {
  std::string code;
  for (char const c : text) {
    if (c != '-' && c != ' ') {
      code.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  return code;
}

std::string new_user_code() {
  // Entra's codes are nine characters; leave out the ones people confuse (0/O, 1/I).
  static constexpr std::string_view k_alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string code;
  for (char const byte : random_bytes(9)) {
    code.push_back(k_alphabet[static_cast<unsigned char>(byte) % k_alphabet.size()]);
  }
  return code;
}

std::chrono::steady_clock::duration to_duration(Seconds seconds) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(seconds);
}

} // namespace

DeviceCodeSession DeviceCodeStore::start(std::string const& client_id,
                                         std::string const& tenant_id,
                                         std::string const& resource,
                                         std::string const& scope,
                                         bool offline_access,
                                         Seconds lifetime,
                                         Seconds interval) {
  DeviceCodeSession session;
  session.device_code = "DAQABAAEAAA" + base64url_encode(random_bytes(96));
  session.client_id = client_id;
  session.tenant_id = tenant_id;
  session.resource = resource;
  session.scope = scope;
  session.offline_access = offline_access;
  session.created_at = std::chrono::system_clock::now();
  auto const now = std::chrono::steady_clock::now();
  session.expires_at = now + to_duration(lifetime);
  session.last_poll = now;
  session.interval = interval;
  std::lock_guard lock{m_mutex};
  do {
    session.user_code = new_user_code();
  } while (std::any_of(m_sessions.begin(), m_sessions.end(), [&](auto const& entry) {
    return entry.second.user_code == session.user_code;
  }));
  m_sessions[session.device_code] = session;
  return session;
}

DeviceCodeSession DeviceCodeStore::poll(std::string const& device_code,
                                        std::string const& client_id,
                                        std::optional<int> auto_approve_polls,
                                        std::string const& default_user) {
  std::lock_guard lock{m_mutex};
  auto const found = m_sessions.find(device_code);
  if (found == m_sessions.end()) {
    throw EntraError{400,
                     "bad_verification_code",
                     70018,
                     "The provided value for the input parameter 'device_code' is not valid: no "
                     "device code sign-in has this code. Start a new sign-in."};
  }
  DeviceCodeSession& session = found->second;
  if (!iequals(session.client_id, client_id)) {
    throw EntraError{400,
                     "invalid_grant",
                     70000,
                     "The provided device code was issued to another client application ('" +
                         session.client_id + "'), not to '" + client_id + "'."};
  }
  if (session.status == "redeemed") {
    throw EntraError{400,
                     "invalid_grant",
                     54005,
                     "OAuth2 device code was already redeemed; start a new sign-in."};
  }
  auto const now = std::chrono::steady_clock::now();
  if (now >= session.expires_at) {
    throw EntraError{400,
                     "expired_token",
                     70019,
                     "The device code has expired. Verification code expired; start a new "
                     "sign-in."};
  }
  if (session.status == "declined") {
    throw EntraError{
        400, "authorization_declined", 65004, "The user declined the device code sign-in."};
  }
  if (now - session.last_poll < to_duration(session.interval * k_interval_tolerance)) {
    session.interval += k_slow_down_step;
    session.last_poll = now;
    throw EntraError{
        400,
        "slow_down",
        0,
        "The client polls faster than the interval; wait " +
            std::to_string(static_cast<long long>(std::ceil(session.interval.count()))) +
            " seconds between polls."};
  }
  session.last_poll = now;
  if (session.status == "pending" && auto_approve_polls && !default_user.empty() &&
      session.pending_polls >= *auto_approve_polls) {
    session.status = "approved";
    session.user = default_user;
  }
  if (session.status == "pending") {
    ++session.pending_polls;
    throw EntraError{400,
                     "authorization_pending",
                     70016,
                     "OAuth 2.0 device flow error. Authorization is pending. Continue polling."};
  }
  session.status = "redeemed";
  return session;
}

std::string
DeviceCodeStore::decide(std::string const& user_code, bool approve, std::string const& user) {
  std::string const wanted = normalised_user_code(user_code);
  std::lock_guard lock{m_mutex};
  for (auto& [device_code, session] : m_sessions) {
    if (session.user_code != wanted) {
      continue;
    }
    if (std::chrono::steady_clock::now() >= session.expires_at) {
      return "the device code sign-in with user code " + wanted + " has expired";
    }
    if (session.status != "pending") {
      return "the device code sign-in with user code " + wanted + " is already " + session.status;
    }
    session.status = approve ? "approved" : "declined";
    session.user = approve ? user : std::string{};
    return {};
  }
  return "no device code sign-in has the user code " + wanted;
}

nlohmann::json DeviceCodeStore::to_json() const {
  std::lock_guard lock{m_mutex};
  std::vector<DeviceCodeSession const*> sessions;
  for (auto const& [device_code, session] : m_sessions) {
    sessions.push_back(&session);
  }
  std::sort(sessions.begin(), sessions.end(), [](auto const* left, auto const* right) {
    return left->created_at < right->created_at;
  });
  auto const now = std::chrono::steady_clock::now();
  auto list = nlohmann::json::array();
  for (auto const* session : sessions) {
    auto const left = std::chrono::duration<double>(session->expires_at - now).count();
    list.push_back(
        {{"user_code", session->user_code},
         {"client_id", session->client_id},
         {"scope", session->scope},
         {"status", left <= 0 && session->status == "pending" ? "expired" : session->status},
         {"user", session->user},
         {"polls", session->pending_polls},
         {"expires_in", std::max(0LL, static_cast<long long>(std::ceil(left)))}});
  }
  return list;
}

} // namespace wisetup::sim
