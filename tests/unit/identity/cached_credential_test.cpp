#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/identity/cached_credential.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <optional>
#include <thread>

namespace wisetup::identity {
namespace {

using std::chrono::seconds;
using testing::ManualClock;

/// Issues "<scope>#<n>" tokens living `lifetime`, counting its calls; can be made to block or fail.
class ScriptedCredential final : public http::TokenCredential {
public:
  ScriptedCredential(std::shared_ptr<ManualClock> clock, seconds lifetime)
      : m_clock(std::move(clock)), m_lifetime(lifetime) {}
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override {
    int const call = ++m_calls;
    if (m_gate && call == 1) {
      m_entered.set_value();
      m_gate->wait();
    }
    if (m_fail) {
      throw core::AuthenticationError("rejected");
    }
    return {scope + "#" + std::to_string(call), m_clock->wall_now() + m_lifetime};
  }
  [[nodiscard]] std::string describe() const override { return "scripted"; }
  void invalidate(std::string const& /*scope*/) const override { ++m_invalidations; }

  [[nodiscard]] int calls() const { return m_calls; }
  [[nodiscard]] int invalidations() const { return m_invalidations; }
  void fail() { m_fail = true; }
  /// The next call blocks until `gate` is ready; `entered` tells when it started.
  std::future<void> block_on(std::shared_future<void> gate) {
    m_gate = std::move(gate);
    return m_entered.get_future();
  }

private:
  std::shared_ptr<ManualClock> m_clock;
  seconds m_lifetime;
  mutable std::atomic<int> m_calls{0};
  mutable std::atomic<int> m_invalidations{0};
  bool m_fail = false;
  std::optional<std::shared_future<void>> m_gate;
  mutable std::promise<void> m_entered;
};

class CachedCredentialTest : public ::testing::Test {
protected:
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(CachedCredentialTest, RefreshesWithinTheMarginAndNotBefore) {
  auto inner = std::make_shared<ScriptedCredential>(m_clock, seconds{3600});
  CachedCredential const cache{inner, m_clock, seconds{300}};
  EXPECT_EQ(cache.get_token("arm").token, "arm#1");
  m_clock->advance(seconds{3299});
  EXPECT_EQ(cache.get_token("arm").token, "arm#1");
  EXPECT_EQ(inner->calls(), 1);
  m_clock->advance(seconds{1});
  EXPECT_EQ(cache.get_token("arm").token, "arm#2");
  EXPECT_EQ(cache.get_token("arm").token, "arm#2");
  EXPECT_EQ(inner->calls(), 2);
}

TEST_F(CachedCredentialTest, CachesPerScope) {
  auto inner = std::make_shared<ScriptedCredential>(m_clock, seconds{3600});
  CachedCredential const cache{inner, m_clock};
  EXPECT_EQ(cache.get_token("arm").token, "arm#1");
  EXPECT_EQ(cache.get_token("vault").token, "vault#2");
  EXPECT_EQ(cache.get_token("arm").token, "arm#1");
  EXPECT_EQ(inner->calls(), 2);
}

TEST_F(CachedCredentialTest, ShortLivedTokensRefreshAfterHalfTheirLife) {
  auto inner = std::make_shared<ScriptedCredential>(m_clock, seconds{120});
  CachedCredential const cache{inner, m_clock, seconds{300}};
  EXPECT_EQ(cache.get_token("arm").token, "arm#1");
  m_clock->advance(seconds{59});
  EXPECT_EQ(cache.get_token("arm").token, "arm#1");
  m_clock->advance(seconds{1});
  EXPECT_EQ(cache.get_token("arm").token, "arm#2");
}

TEST_F(CachedCredentialTest, InvalidateForcesAFetch) {
  auto inner = std::make_shared<ScriptedCredential>(m_clock, seconds{3600});
  CachedCredential const cache{inner, m_clock};
  (void)cache.get_token("arm");
  cache.invalidate("arm");
  EXPECT_EQ(cache.get_token("arm").token, "arm#2");
  EXPECT_EQ(inner->invalidations(), 1);
}

TEST_F(CachedCredentialTest, FailuresAreNotCached) {
  auto inner = std::make_shared<ScriptedCredential>(m_clock, seconds{3600});
  inner->fail();
  CachedCredential const cache{inner, m_clock};
  EXPECT_THROW((void)cache.get_token("arm"), core::AuthenticationError);
  EXPECT_THROW((void)cache.get_token("arm"), core::AuthenticationError);
  EXPECT_EQ(inner->calls(), 2);
}

TEST_F(CachedCredentialTest, ConcurrentCallersShareOneFetch) {
  auto inner = std::make_shared<ScriptedCredential>(m_clock, seconds{3600});
  std::promise<void> open;
  auto entered = inner->block_on(open.get_future().share());
  CachedCredential const cache{inner, m_clock};

  std::vector<std::future<http::AccessToken>> callers;
  callers.push_back(std::async(std::launch::async, [&] { return cache.get_token("arm"); }));
  entered.wait(); // the first caller is inside the fetch
  for (int i = 0; i < 7; ++i) {
    callers.push_back(std::async(std::launch::async, [&] { return cache.get_token("arm"); }));
  }
  open.set_value();
  for (auto& caller : callers) {
    EXPECT_EQ(caller.get().token, "arm#1");
  }
  EXPECT_EQ(inner->calls(), 1);
}

} // namespace
} // namespace wisetup::identity
