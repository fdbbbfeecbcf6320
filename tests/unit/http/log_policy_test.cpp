#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/http/log_policy.hpp>
#include <wisetup/http/pipeline.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace wisetup::http {
namespace {

using testing::FakeTransport;
using testing::ManualClock;

/// Routes spdlog's default logger into a string for the lifetime of the object.
class LogCapture {
public:
  explicit LogCapture(spdlog::level::level_enum level) : m_previous(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(m_stream));
    logger->set_level(level);
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(m_previous); }
  LogCapture(LogCapture const&) = delete;
  LogCapture& operator=(LogCapture const&) = delete;
  [[nodiscard]] std::string text() const { return m_stream.str(); }

private:
  std::shared_ptr<spdlog::logger> m_previous;
  std::ostringstream m_stream;
};

class LogPolicyTest : public ::testing::Test {
protected:
  std::shared_ptr<Pipeline> pipeline() {
    PipelineOptions options;
    options.retry.jitter = [] {
      return 1.0;
    };
    return make_pipeline(options, m_transport, nullptr, {}, m_clock);
  }

  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(LogPolicyTest, NeverPrintsSecrets) {
  LogCapture const capture{spdlog::level::trace};
  Headers response_headers;
  response_headers.set("x-ms-request-id", "req-42");
  response_headers.set("Set-Cookie", "session=CANARY");
  response_headers.set("Location", "https://arm.test/op?sig=CANARY&api-version=2");
  response_headers.set("Azure-AsyncOperation", "https://arm.test/async?sig=CANARY&api-version=2");
  response_headers.set("x-ms-ratelimit-remaining-subscription-writes", "199");
  m_transport->answer([&](Request const&) {
    m_clock->advance(std::chrono::milliseconds{123});
    return Response{201, response_headers, R"({"secret":"CANARY"})"};
  });

  Request request{Method::Put,
                  "https://arm.test/sub/x?api-version=2023-01-31&sig=CANARY",
                  {},
                  "client_secret=CANARY"};
  request.headers.set("Authorization", "Bearer CANARY");
  request.headers.set("x-custom", "CANARY");
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  EXPECT_EQ(pipeline()->send(request).status, 201);

  auto const text = capture.text();
  EXPECT_EQ(text.find("CANARY"), std::string::npos) << text;
  EXPECT_NE(text.find("debug → PUT https://arm.test/sub/x?api-version=2023-01-31&sig=REDACTED"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("debug ← 201 (123 ms) x-ms-request-id=req-42"), std::string::npos) << text;
  EXPECT_NE(text.find("Authorization: REDACTED"), std::string::npos) << text;
  EXPECT_NE(text.find("x-custom: REDACTED"), std::string::npos) << text;
  EXPECT_NE(text.find("Content-Type: application/x-www-form-urlencoded"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Location: https://arm.test/op\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Azure-AsyncOperation: https://arm.test/async?api-version=2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("x-ms-ratelimit-remaining-subscription-writes: 199"), std::string::npos)
      << text;
}

TEST_F(LogPolicyTest, LogsTransportFailuresAndRetries) {
  LogCapture const capture{spdlog::level::debug};
  m_transport->answer(
      [](Request const&) -> Response { throw TransportError("cannot reach https://arm.test"); });
  m_transport->respond(200);
  EXPECT_EQ(pipeline()
                ->send(Request{Method::Get, "https://arm.test/x?api-version=1&sig=CANARY", {}, {}})
                .status,
            200);
  auto const text = capture.text();
  EXPECT_EQ(text.find("CANARY"), std::string::npos) << text;
  EXPECT_NE(text.find("← failed after 0 ms: cannot reach https://arm.test"), std::string::npos)
      << text;
  EXPECT_NE(text.find("info retrying GET https://arm.test/x in 800 ms"), std::string::npos) << text;
  // Headers are trace-level only.
  EXPECT_EQ(text.find("x-ms-client-request-id:"), std::string::npos) << text;
}

TEST(LoggableHeaderValueTest, AllowListOnly) {
  EXPECT_EQ(loggable_header_value("ETag", "\"1\""), "\"1\"");
  EXPECT_EQ(loggable_header_value("retry-after", "5"), "5");
  EXPECT_EQ(loggable_header_value("X-MS-CLIENT-REQUEST-ID", "abc"), "abc");
  EXPECT_EQ(loggable_header_value("Location", "/relative?code=CANARY"), "/relative");
  EXPECT_EQ(loggable_header_value("Cookie", "a=b"), "REDACTED");
  EXPECT_EQ(loggable_header_value("x-ms-ratelimit-remaining", "1"), "REDACTED");
}

} // namespace
} // namespace wisetup::http
