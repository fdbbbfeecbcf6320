#include "arm_fixture.hpp"

#include <wisetup/azure/long_running_operation.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>

namespace wisetup::azure {
namespace {

using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;

constexpr char const* k_cluster =
    "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/c";
constexpr char const* k_monitor =
    "https://arm.test/subscriptions/s/providers/Microsoft.ContainerService/locations/eastus/"
    "operations/op1?api-version=2024-09-01";

class LroTest : public ArmFixture {
protected:
  LroOptions options = quick_polls();
  std::vector<std::pair<std::string, ms>> progress;

  void wait(ArmResponse const& initial) {
    LongRunningOperation const lro{arm, clock, options};
    lro.wait(initial, k_cluster, "2024-09-01", [this](std::string_view status, ms elapsed) {
      progress.emplace_back(std::string(status), elapsed);
    });
  }

  static ArmResponse accepted(std::vector<std::pair<std::string, std::string>> const& fields,
                              int status = 201) {
    return ArmResponse{status, headers(fields), nlohmann::json::object()};
  }
};

TEST_F(LroTest, AsyncOperationHonoursRetryAfter) {
  transport->respond_json(200, R"({"status": "InProgress"})", headers({{"Retry-After", "7"}}));
  transport->respond_json(200, R"({"status": "Succeeded"})");

  wait(accepted({{"Azure-AsyncOperation", k_monitor}, {"Retry-After", "3"}}));

  EXPECT_EQ(clock->sleeps(), (std::vector<ms>{3'000ms, 7'000ms}));
  ASSERT_EQ(transport->requests().size(), 2U);
  EXPECT_EQ(request(0).url, k_monitor);
  EXPECT_EQ(request(1).url, k_monitor);
  EXPECT_EQ(
      progress,
      (std::vector<std::pair<std::string, ms>>{{"InProgress", 3'000ms}, {"Succeeded", 10'000ms}}));
}

TEST_F(LroTest, ByDefaultAShortOperationIsSeenWithinAQuarterSecondALongOnePolledEveryFiveSeconds) {
  options = LroOptions{}; // the defaults, not the fixture's
  options.timeout = std::chrono::minutes{10};
  for (int i = 0; i < 60; ++i) {
    transport->respond_json(200, R"({"status": "Running"})");
  }
  transport->respond_json(200, R"({"status": "Succeeded"})");

  wait(accepted({{"Azure-AsyncOperation", k_monitor}}));

  auto const& sleeps = clock->sleeps();
  ASSERT_EQ(sleeps.size(), 61U);
  ms elapsed{0};
  for (auto const& sleep : sleeps) {
    if (elapsed < 10'000ms) {
      EXPECT_EQ(sleep, 250ms) << "at " << elapsed.count() << " ms";
    } else if (elapsed >= 30'000ms) {
      EXPECT_EQ(sleep, 5'000ms) << "at " << elapsed.count() << " ms";
    } else {
      EXPECT_LE(sleep, 5'000ms);
    }
    elapsed += sleep;
  }
}

TEST_F(LroTest, WithoutRetryAfterTheIntervalStaysShortThenGrowsToItsMaximum) {
  options.initial_interval = 500ms;
  options.steady_for = 1'000ms;
  options.max_interval = 1'000ms;
  for (int i = 0; i < 4; ++i) {
    transport->respond_json(200, R"({"status": "Running"})");
  }
  transport->respond_json(200, R"({"status": "succeeded"})");

  wait(accepted({{"Azure-AsyncOperation", k_monitor}}));

  EXPECT_EQ(clock->sleeps(), (std::vector<ms>{500ms, 500ms, 500ms, 750ms, 1'000ms}));
  EXPECT_EQ(progress.size(), 5U);
  EXPECT_EQ(progress.back().first, "succeeded");
}

TEST_F(LroTest, FailedOperationThrowsItsError) {
  transport->respond_json(
      200,
      R"({"status": "Failed", "error": {"code": "OIDCIssuerFeatureNotEnabled", "message": "Enable the OIDC issuer first."}})",
      headers({{"x-ms-request-id", "req-9"}}));
  try {
    wait(accepted({{"Azure-AsyncOperation", k_monitor}}));
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().code, "OIDCIssuerFeatureNotEnabled");
    EXPECT_EQ(error.fault().message, "Enable the OIDC issuer first.");
    EXPECT_EQ(error.fault().request_id, "req-9");
    EXPECT_EQ(std::string(error.what()),
              std::string("Azure reported that the operation on ") + k_cluster +
                  " ended Failed (OIDCIssuerFeatureNotEnabled): Enable the OIDC issuer first "
                  "(request id req-9).");
  }
}

TEST_F(LroTest, CanceledWithoutErrorUsesTheStatusAsCode) {
  transport->respond_json(200, R"({"status": "Canceled"})");
  try {
    wait(accepted({{"Azure-AsyncOperation", k_monitor}}));
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().code, "Canceled");
  }
}

TEST_F(LroTest, LocationIsPolledUntilItStopsAnswering202) {
  auto const location = std::string("https://arm.test/subscriptions/s/operationresults/1");
  transport->respond(202, "", headers({{"Location", location + "?step=2"}, {"Retry-After", "2"}}));
  transport->respond(202);
  transport->respond_json(200, R"({"id": "x"})");

  wait(accepted({{"Location", location}, {"Retry-After", "1"}}, 202));

  EXPECT_EQ(clock->sleeps(), (std::vector<ms>{1'000ms, 2'000ms, 500ms}));
  ASSERT_EQ(transport->requests().size(), 3U);
  EXPECT_EQ(request(0).url, location);
  EXPECT_EQ(request(1).url, location + "?step=2");
  EXPECT_EQ(request(2).url, location + "?step=2");
  EXPECT_EQ(progress.back().first, "Succeeded");
}

TEST_F(LroTest, LocationErrorIsTheOperationsFailure) {
  transport->respond_json(409, R"({"error": {"code": "OperationNotAllowed", "message": "busy"}})");
  try {
    wait(accepted({{"Location", "https://arm.test/subscriptions/s/operationresults/1"}}, 202));
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 409);
    EXPECT_EQ(error.fault().code, "OperationNotAllowed");
  }
}

TEST_F(LroTest, AStatusUrlThatAnswers404ForAWhileIsAskedAgain) {
  auto const not_found = R"({"error": {"code": "NotFound", "message": "no such operation"}})";
  transport->respond_json(404, not_found);
  transport->respond_json(404, not_found);
  transport->respond_json(200, R"({"status": "Succeeded"})");

  wait(accepted({{"Azure-AsyncOperation", k_monitor}}));

  ASSERT_EQ(transport->requests().size(), 3U);
  EXPECT_EQ(request(2).url, k_monitor);
  EXPECT_EQ(progress.front().first, "status URL not found yet");
  EXPECT_EQ(progress.back().first, "Succeeded");
}

TEST_F(LroTest, AStatusUrlThatStaysMissingLeavesTheEndToTheResource) {
  auto const not_found = R"({"error": {"code": "NotFound", "message": "no such operation"}})";
  for (int i = 0; i < 11; ++i) {
    transport->respond_json(404, not_found);
  }
  transport->respond_json(200, R"({"properties": {"provisioningState": "Canceled"}})");

  EXPECT_THROW(wait(ArmResponse{201,
                                headers({{"Azure-AsyncOperation", k_monitor}}),
                                {{"properties", {{"provisioningState", "Updating"}}}}}),
               http::ServiceError);

  ASSERT_EQ(transport->requests().size(), 12U);
  EXPECT_EQ(request(11).url, std::string(k_endpoint) + k_cluster + "?api-version=2024-09-01");
}

TEST_F(LroTest, WithoutMonitorTheResourceIsPolled) {
  transport->respond_json(200, R"({"properties": {"provisioningState": "Updating"}})");
  transport->respond_json(200, R"({"properties": {"provisioningState": "Succeeded"}})");

  wait(ArmResponse{200, {}, {{"properties", {{"provisioningState", "Updating"}}}}});

  ASSERT_EQ(transport->requests().size(), 2U);
  EXPECT_EQ(request(0).url, std::string(k_endpoint) + k_cluster + "?api-version=2024-09-01");
  EXPECT_EQ(clock->sleeps(), (std::vector<ms>{500ms, 500ms}));
  EXPECT_EQ(progress.back().first, "Succeeded");
}

TEST_F(LroTest, ResourceThatEndsFailedThrows) {
  transport->respond_json(200, R"({"properties": {"provisioningState": "Failed"}})");
  try {
    wait(ArmResponse{200, {}, {{"properties", {{"provisioningState", "Updating"}}}}});
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().code, "Failed");
  }
}

TEST_F(LroTest, SynchronousAnswerNeedsNoPoll) {
  wait(ArmResponse{201, {}, {{"name", "x"}}});
  wait(ArmResponse{200, {}, {{"properties", {{"provisioningState", "Succeeded"}}}}});
  EXPECT_TRUE(transport->requests().empty());
  EXPECT_TRUE(clock->sleeps().empty());
}

TEST_F(LroTest, ASharedDeadlineAlreadySpentByAnEarlierWaitLeavesNoTime) {
  options.deadline = clock->now() + 1s;
  clock->advance(2s); // spent waiting for another operation
  transport->respond_json(200, R"({"status": "InProgress"})");
  EXPECT_THROW(wait(accepted({{"Azure-AsyncOperation", k_monitor}})), core::TimeoutError);
  EXPECT_TRUE(clock->sleeps().empty());
}

TEST_F(LroTest, TimeoutNamesTheOperationAndTheElapsedTime) {
  options.initial_interval = 4'000ms;
  options.max_interval = 4'000ms;
  options.timeout = 10s;
  for (int i = 0; i < 3; ++i) {
    transport->respond_json(200, R"({"status": "InProgress"})");
  }
  try {
    wait(accepted({{"Azure-AsyncOperation", k_monitor}}));
    FAIL() << "expected TimeoutError";
  } catch (core::TimeoutError const& error) {
    std::string const message = error.what();
    EXPECT_NE(message.find(k_cluster), std::string::npos) << message;
    EXPECT_NE(message.find("10 s"), std::string::npos) << message;
    EXPECT_NE(message.find("InProgress"), std::string::npos) << message;
    EXPECT_EQ(message.find("op1"), std::string::npos) << message;
  }
  // The last wait is cut to the deadline, then one final poll.
  EXPECT_EQ(clock->sleeps(), (std::vector<ms>{4'000ms, 4'000ms, 2'000ms}));
  EXPECT_EQ(transport->pending(), 0U);
}

TEST_F(LroTest, MonitorOnAnotherHostIsRefused) {
  EXPECT_THROW(wait(accepted({{"Azure-AsyncOperation", "https://evil.test/op"}})),
               core::InvalidInput);
  EXPECT_TRUE(transport->requests().empty());
}

} // namespace
} // namespace wisetup::azure
