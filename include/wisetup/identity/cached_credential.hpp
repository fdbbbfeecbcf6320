#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/identity/token_credential.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

namespace wisetup::identity {

/// Caches tokens per scope in memory and refreshes them `refresh_margin` before they expire, so a
/// long cluster update never runs on an expired token. Never writes tokens anywhere.
class CachedCredential final : public TokenCredential {
public:
  CachedCredential(std::shared_ptr<TokenCredential const> inner,
                   std::shared_ptr<core::Clock> clock,
                   std::chrono::seconds refresh_margin = std::chrono::seconds{300});
  [[nodiscard]] AccessToken get_token(std::string const& scope) const override;
  [[nodiscard]] std::string describe() const override { return m_inner->describe(); }

private:
  std::shared_ptr<TokenCredential const> m_inner;
  std::shared_ptr<core::Clock> m_clock;
  std::chrono::seconds m_refresh_margin;
  mutable std::mutex m_mutex;
  mutable std::map<std::string, AccessToken> m_tokens;
};

} // namespace wisetup::identity
