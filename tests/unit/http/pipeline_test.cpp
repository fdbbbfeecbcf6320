#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/http/pipeline.hpp>

#include <gtest/gtest.h>

#include <regex>

namespace wisetup::http {
namespace {

using testing::FakeTransport;
using testing::ManualClock;

TEST(PipelineTest, StampsUserAgentAndRequestIds) {
  auto transport = std::make_shared<FakeTransport>();
  transport->respond(200);
  transport->respond(200);
  PipelineOptions options;
  options.user_agent = "wi-setup/0.1";
  options.correlation_id = "11111111-2222-3333-4444-555555555555";
  auto const pipeline =
      make_pipeline(options, transport, nullptr, {}, std::make_shared<ManualClock>());
  (void)pipeline->send(Request{Method::Get, "https://arm.test/a", {}, {}});
  (void)pipeline->send(Request{Method::Get, "https://arm.test/b", {}, {}});

  auto const requests = transport->requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].headers.get("User-Agent"), "wi-setup/0.1");
  EXPECT_EQ(requests[0].headers.get("x-ms-correlation-request-id"), options.correlation_id);
  EXPECT_EQ(requests[1].headers.get("x-ms-correlation-request-id"), options.correlation_id);
  EXPECT_FALSE(requests[0].headers.contains("Authorization"));
  std::regex const guid{"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"};
  auto const first = requests[0].headers.get("x-ms-client-request-id").value_or("");
  auto const second = requests[1].headers.get("x-ms-client-request-id").value_or("");
  EXPECT_TRUE(std::regex_match(first, guid)) << first;
  EXPECT_TRUE(std::regex_match(second, guid)) << second;
  EXPECT_NE(first, second);
}

TEST(PipelineTest, NoCorrelationIdWhenNoneIsConfigured) {
  auto transport = std::make_shared<FakeTransport>();
  transport->respond(204);
  auto const pipeline =
      make_pipeline(PipelineOptions{}, transport, nullptr, {}, std::make_shared<ManualClock>());
  EXPECT_EQ(pipeline->send(Request{Method::Delete, "https://arm.test/a", {}, {}}).status, 204);
  EXPECT_FALSE(transport->requests().at(0).headers.contains("x-ms-correlation-request-id"));
  EXPECT_EQ(transport->requests().at(0).headers.get("User-Agent"), "wi-setup");
}

TEST(PipelineTest, PassesMethodUrlAndBodyThrough) {
  auto transport = std::make_shared<FakeTransport>();
  transport->respond(201, "created");
  auto const pipeline =
      make_pipeline(PipelineOptions{}, transport, nullptr, {}, std::make_shared<ManualClock>());
  Request request{Method::Put, "https://arm.test/r?api-version=1", {}, R"({"a":1})"};
  request.headers.set("Content-Type", "application/json");
  auto const response = pipeline->send(request);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "created");
  auto const sent = transport->requests().at(0);
  EXPECT_EQ(sent.method, Method::Put);
  EXPECT_EQ(sent.url, request.url);
  EXPECT_EQ(sent.body, request.body);
  EXPECT_EQ(sent.headers.get("content-type"), "application/json");
}

} // namespace
} // namespace wisetup::http
