#include <wisetup/identity/cached_credential.hpp>

#include <algorithm>

namespace wisetup::identity {

CachedCredential::CachedCredential(std::shared_ptr<http::TokenCredential const> inner,
                                   std::shared_ptr<core::Clock> clock,
                                   std::chrono::seconds refresh_margin)
    : m_inner(std::move(inner)), m_clock(std::move(clock)), m_refresh_margin(refresh_margin) {}

http::AccessToken CachedCredential::get_token(std::string const& scope) const {
  std::promise<http::AccessToken> fetched;
  {
    std::unique_lock lock{m_mutex};
    auto& slot = m_slots[scope];
    if (slot.token && m_clock->wall_now() < slot.refresh_at) {
      return *slot.token;
    }
    if (slot.pending.valid()) {
      // Someone is already fetching this scope: wait for that answer instead of asking again.
      auto pending = slot.pending;
      lock.unlock();
      return pending.get();
    }
    slot.pending = fetched.get_future().share();
  }
  try {
    auto token = m_inner->get_token(scope);
    auto const now = m_clock->wall_now();
    // Short-lived tokens (shorter than twice the margin) refresh after half their lifetime, so
    // they are not fetched again on every call.
    auto const half_life = (token.expires_on - now) / 2;
    auto const margin =
        std::max(std::chrono::system_clock::duration::zero(),
                 std::min<std::chrono::system_clock::duration>(m_refresh_margin, half_life));
    {
      std::lock_guard const lock{m_mutex};
      auto& slot = m_slots[scope];
      slot.token = token;
      slot.refresh_at = token.expires_on - margin;
      slot.pending = {};
    }
    fetched.set_value(token);
    return token;
  } catch (...) {
    {
      std::lock_guard const lock{m_mutex};
      m_slots[scope].pending = {};
    }
    fetched.set_exception(std::current_exception());
    throw;
  }
}

void CachedCredential::invalidate(std::string const& scope) const {
  {
    std::lock_guard const lock{m_mutex};
    auto found = m_slots.find(scope);
    if (found != m_slots.end()) {
      found->second.token.reset();
    }
  }
  m_inner->invalidate(scope);
}

} // namespace wisetup::identity
