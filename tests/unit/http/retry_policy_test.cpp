#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/retry_after.hpp>

#include <gtest/gtest.h>

namespace wisetup::http {
namespace {

using std::chrono::milliseconds;
using testing::FakeTransport;
using testing::ManualClock;

Headers header(std::string_view name, std::string_view value) {
  Headers headers;
  headers.set(name, value);
  return headers;
}

class RetryPolicyTest : public ::testing::Test {
protected:
  std::shared_ptr<Pipeline> pipeline(RetryOptions retry = {}) {
    if (!retry.jitter) {
      retry.jitter = [] {
        return 1.0;
      };
    }
    PipelineOptions options;
    options.retry = std::move(retry);
    return make_pipeline(options, m_transport, nullptr, {}, m_clock);
  }
  static Request get() { return Request{Method::Get, "https://arm.test/x?api-version=1", {}, {}}; }

  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(RetryPolicyTest, ThrottledWithRetryAfterSecondsSleepsExactlyThatLong) {
  m_transport->respond(429, "slow down", header("Retry-After", "2"));
  m_transport->respond(200, "done");
  auto const response = pipeline()->send(get());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "done");
  EXPECT_EQ(m_clock->sleeps(), (std::vector<milliseconds>{milliseconds{2000}}));
  EXPECT_EQ(m_transport->requests().size(), 2U);
}

TEST_F(RetryPolicyTest, RetryAfterAsHttpDate) {
  // ManualClock's wall clock starts at 1'800'000'000 s = Fri, 15 Jan 2027 08:00:00 GMT.
  m_transport->respond(503, {}, header("Retry-After", "Fri, 15 Jan 2027 08:00:07 GMT"));
  m_transport->respond(200);
  EXPECT_EQ(pipeline()->send(get()).status, 200);
  EXPECT_EQ(m_clock->sleeps(), (std::vector<milliseconds>{milliseconds{7000}}));
}

TEST_F(RetryPolicyTest, MillisecondHeadersWinOverRetryAfter) {
  Headers headers = header("Retry-After", "10");
  headers.set("x-ms-retry-after-ms", "250");
  m_transport->respond(429, {}, headers);
  m_transport->respond(429, {}, header("retry-after-ms", "40"));
  m_transport->respond(200);
  EXPECT_EQ(pipeline()->send(get()).status, 200);
  EXPECT_EQ(m_clock->sleeps(), (std::vector<milliseconds>{milliseconds{250}, milliseconds{40}}));
}

TEST_F(RetryPolicyTest, ExponentialBackoffWithoutRetryAfter) {
  for (int i = 0; i < 5; ++i) {
    m_transport->respond(503);
  }
  m_transport->respond(200);
  RetryOptions retry;
  retry.jitter = [] {
    return 1.25;
  };
  retry.max_delay = milliseconds{5000};
  EXPECT_EQ(pipeline(retry)->send(get()).status, 200);
  EXPECT_EQ(m_clock->sleeps(),
            (std::vector<milliseconds>{milliseconds{1000},
                                       milliseconds{2000},
                                       milliseconds{4000},
                                       milliseconds{5000},
                                       milliseconds{5000}}));
}

TEST_F(RetryPolicyTest, GivesUpAfterMaxRetriesAndReturnsTheLastResponse) {
  m_transport->respond(500, "first");
  m_transport->respond(502, "second");
  m_transport->respond(504, "third");
  RetryOptions retry;
  retry.max_retries = 2;
  auto const response = pipeline(retry)->send(get());
  EXPECT_EQ(response.status, 504);
  EXPECT_EQ(response.body, "third");
  EXPECT_EQ(m_transport->requests().size(), 3U);
  EXPECT_EQ(m_clock->sleeps(), (std::vector<milliseconds>{milliseconds{800}, milliseconds{1600}}));
}

TEST_F(RetryPolicyTest, DoesNotRetryAClientError) {
  m_transport->respond(400, "bad");
  m_transport->respond(200);
  EXPECT_EQ(pipeline()->send(get()).status, 400);
  EXPECT_EQ(m_transport->requests().size(), 1U);
  EXPECT_EQ(m_transport->pending(), 1U);
  EXPECT_TRUE(m_clock->sleeps().empty());
}

TEST_F(RetryPolicyTest, RetriesTransportErrors) {
  m_transport->answer([](Request const&) -> Response { throw TransportError("cannot reach x"); });
  m_transport->respond(200);
  EXPECT_EQ(pipeline()->send(get()).status, 200);
  EXPECT_EQ(m_clock->sleeps(), (std::vector<milliseconds>{milliseconds{800}}));
}

TEST_F(RetryPolicyTest, RethrowsTheLastTransportError) {
  for (int i = 0; i < 3; ++i) {
    m_transport->answer([i](Request const&) -> Response {
      throw TransportError("cannot reach x: attempt " + std::to_string(i));
    });
  }
  RetryOptions retry;
  retry.max_retries = 2;
  try {
    (void)pipeline(retry)->send(get());
    FAIL() << "expected TransportError";
  } catch (TransportError const& error) {
    EXPECT_STREQ(error.what(), "cannot reach x: attempt 2");
  }
  EXPECT_EQ(m_transport->requests().size(), 3U);
}

TEST_F(RetryPolicyTest, RetriesKeepTheClientRequestIdAndStartFromTheOriginalRequest) {
  m_transport->respond(503);
  m_transport->respond(200);
  auto const pipe = pipeline();
  (void)pipe->send(get());
  m_transport->respond(200);
  (void)pipe->send(get());
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[0].headers.get("x-ms-client-request-id"),
            requests[1].headers.get("x-ms-client-request-id"));
  EXPECT_NE(requests[1].headers.get("x-ms-client-request-id"),
            requests[2].headers.get("x-ms-client-request-id"));
  EXPECT_EQ(requests[1].url, "https://arm.test/x?api-version=1");
}

TEST_F(RetryPolicyTest, ZeroRetriesSendsOnce) {
  m_transport->respond(503);
  RetryOptions retry;
  retry.max_retries = 0;
  EXPECT_EQ(pipeline(retry)->send(get()).status, 503);
  EXPECT_TRUE(m_clock->sleeps().empty());
}

TEST(RetryAfterTest, ParsesTheThreeHttpDateForms) {
  auto const expected = std::chrono::sys_days{std::chrono::year{1994} / 11 / 6} +
                        std::chrono::hours{8} + std::chrono::minutes{49} + std::chrono::seconds{37};
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), expected);
  EXPECT_EQ(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"), std::nullopt);
  EXPECT_EQ(parse_http_date("soon"), std::nullopt);
}

TEST(RetryAfterTest, PastDatesMeanNoWaitAndGarbageMeansNoHint) {
  auto const now = std::chrono::system_clock::time_point{std::chrono::seconds{1'800'000'000}};
  EXPECT_EQ(retry_after(header("Retry-After", "Fri, 15 Jan 2027 07:00:00 GMT"), now),
            milliseconds{0});
  EXPECT_EQ(retry_after(header("Retry-After", "-3"), now), std::nullopt);
  EXPECT_EQ(retry_after(header("Retry-After", "later"), now), std::nullopt);
  EXPECT_EQ(retry_after(Headers{}, now), std::nullopt);
}

} // namespace
} // namespace wisetup::http
