#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/token_credential.hpp>

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace wisetup::identity {

/// Caches tokens per scope in memory and refreshes them `refresh_margin` before they expire, so a
/// long cluster update never runs on an expired token. Never writes tokens anywhere.
/// Thread-safe: concurrent callers for one scope wait for a single fetch and share its result
/// (or its exception); other scopes are not held up. A token that lives shorter than twice the
/// margin is refreshed after half its lifetime instead.
class CachedCredential final : public http::TokenCredential {
public:
  CachedCredential(std::shared_ptr<http::TokenCredential const> inner,
                   std::shared_ptr<core::Clock> clock,
                   std::chrono::seconds refresh_margin = std::chrono::seconds{300});
  /// Throws what the inner credential throws.
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override;
  [[nodiscard]] std::string describe() const override { return m_inner->describe(); }
  /// Drops the cached token for `scope` (and tells the inner credential).
  void invalidate(std::string const& scope) const override;

private:
  struct Slot {
    std::optional<http::AccessToken> token;
    std::chrono::system_clock::time_point refresh_at;
    std::shared_future<http::AccessToken> pending; ///< valid while a fetch is in flight
  };

  std::shared_ptr<http::TokenCredential const> m_inner;
  std::shared_ptr<core::Clock> m_clock;
  std::chrono::seconds m_refresh_margin;
  mutable std::mutex m_mutex;
  mutable std::map<std::string, Slot> m_slots;
};

} // namespace wisetup::identity
