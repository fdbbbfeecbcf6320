#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/token_credential.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

namespace wisetup::http {
namespace {

using testing::FakeTransport;
using testing::ManualClock;

/// Hands out "token-1", "token-2", ... and records what it was asked.
class CountingCredential final : public TokenCredential {
public:
  [[nodiscard]] AccessToken get_token(std::string const& scope) const override {
    std::lock_guard const lock{m_mutex};
    m_scopes.push_back(scope);
    return {"token-" + std::to_string(m_scopes.size()), std::chrono::system_clock::now()};
  }
  [[nodiscard]] std::string describe() const override { return "counting"; }
  void invalidate(std::string const& scope) const override {
    std::lock_guard const lock{m_mutex};
    m_invalidated.push_back(scope);
  }
  [[nodiscard]] std::vector<std::string> scopes() const {
    std::lock_guard const lock{m_mutex};
    return m_scopes;
  }
  [[nodiscard]] std::vector<std::string> invalidated() const {
    std::lock_guard const lock{m_mutex};
    return m_invalidated;
  }

private:
  mutable std::mutex m_mutex;
  mutable std::vector<std::string> m_scopes;
  mutable std::vector<std::string> m_invalidated;
};

class BearerTokenPolicyTest : public ::testing::Test {
protected:
  std::shared_ptr<Pipeline> pipeline() {
    PipelineOptions options;
    options.retry.jitter = [] {
      return 1.0;
    };
    return make_pipeline(options, m_transport, m_credential, "https://arm.test/.default", m_clock);
  }

  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<CountingCredential> m_credential = std::make_shared<CountingCredential>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(BearerTokenPolicyTest, AddsTheTokenForTheScope) {
  m_transport->respond(200);
  EXPECT_EQ(pipeline()->send(Request{Method::Get, "https://arm.test/x", {}, {}}).status, 200);
  EXPECT_EQ(m_transport->requests().at(0).headers.get("Authorization"), "Bearer token-1");
  EXPECT_EQ(m_credential->scopes(), std::vector<std::string>{"https://arm.test/.default"});
}

TEST_F(BearerTokenPolicyTest, RefusesPlainHttp) {
  try {
    (void)pipeline()->send(Request{Method::Get, "http://arm.test/x?sig=CANARY", {}, {}});
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    std::string const message = error.what();
    EXPECT_NE(message.find("http://arm.test/x"), std::string::npos) << message;
    EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
  }
  EXPECT_TRUE(m_transport->requests().empty());
  EXPECT_TRUE(m_credential->scopes().empty());
}

TEST_F(BearerTokenPolicyTest, AsksForATokenOnEveryAttempt) {
  m_transport->respond(503);
  m_transport->respond(200);
  EXPECT_EQ(pipeline()->send(Request{Method::Get, "https://arm.test/x", {}, {}}).status, 200);
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].headers.get("Authorization"), "Bearer token-1");
  EXPECT_EQ(requests[1].headers.get("Authorization"), "Bearer token-2");
}

TEST_F(BearerTokenPolicyTest, A401TriggersOneRefreshAndOneResend) {
  m_transport->respond(401);
  m_transport->respond(200, "ok");
  auto const response = pipeline()->send(Request{Method::Get, "https://arm.test/x", {}, {}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(m_credential->invalidated(), std::vector<std::string>{"https://arm.test/.default"});
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[1].headers.get("Authorization"), "Bearer token-2");
  EXPECT_TRUE(m_clock->sleeps().empty());
}

TEST_F(BearerTokenPolicyTest, ASecond401IsReturned) {
  m_transport->respond(401, "first");
  m_transport->respond(401, "second");
  auto const response = pipeline()->send(Request{Method::Get, "https://arm.test/x", {}, {}});
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body, "second");
  EXPECT_EQ(m_transport->requests().size(), 2U);
  EXPECT_EQ(m_credential->invalidated().size(), 1U);
}

} // namespace
} // namespace wisetup::http
