#include <wisetup/core/clock.hpp>
#include <wisetup/core/stop_request.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace wisetup::core {
namespace {

class StopRequestTest : public ::testing::Test {
protected:
  void SetUp() override { stop_request::reset_for_tests(); }
  void TearDown() override { stop_request::reset_for_tests(); }
};

TEST_F(StopRequestTest, ASleepEndsAtOnceWithTheReasonsExitCode) {
  std::thread stopper{[] {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    stop_request::request({ExitCode::Terminated, "interrupted by SIGTERM"});
  }};
  auto const started = std::chrono::steady_clock::now();
  SystemClock clock;
  try {
    clock.sleep_for(std::chrono::seconds{30});
    FAIL() << "a sleep must end when a stop is requested";
  } catch (Stopped const& stopped) {
    EXPECT_EQ(stopped.exit_code(), ExitCode::Terminated);
    EXPECT_STREQ(stopped.what(), "interrupted by SIGTERM");
  }
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{5});
}

TEST_F(StopRequestTest, TheFirstReasonIsKept) {
  stop_request::request({ExitCode::Timeout, "the run did not finish within --timeout 1 minutes"});
  stop_request::request({ExitCode::Interrupted, "interrupted by SIGINT"});
  ASSERT_TRUE(stop_request::reason());
  EXPECT_EQ(stop_request::reason()->code, ExitCode::Timeout);
  EXPECT_THROW(stop_request::throw_if_requested(), Stopped);
}

TEST_F(StopRequestTest, WithoutARequestSleepsAndChecksPass) {
  EXPECT_NO_THROW(stop_request::throw_if_requested());
  EXPECT_NO_THROW(stop_request::sleep_for(std::chrono::milliseconds{1}));
}

} // namespace
} // namespace wisetup::core
