#include "sim/options.hpp"

#include <gtest/gtest.h>

namespace wisetup::sim {
namespace {

TEST(OptionsTest, DefaultsNeedOnlyTheStateDirectory) {
  CommandLine const command_line = parse_command_line({"--state-dir", "/tmp/x"});
  Options const& options = command_line.options;
  EXPECT_EQ(options.state_dir, "/tmp/x");
  EXPECT_EQ(options.port, 0);
  EXPECT_FALSE(options.seed);
  EXPECT_DOUBLE_EQ(options.cluster_update.count(), 5.0);
  EXPECT_EQ(options.latency.count(), 0);
  EXPECT_DOUBLE_EQ(options.token_lifetime.count(), 3600.0);
  EXPECT_FALSE(options.retry_after_seconds);
}

TEST(OptionsTest, ParsesEveryFlagIncludingFractionsAndEqualsForm) {
  CommandLine const command_line = parse_command_line({"--state-dir=/d",
                                                       "--port",
                                                       "8443",
                                                       "--seed",
                                                       "seed.json",
                                                       "--cluster-update-seconds",
                                                       "0.2",
                                                       "--latency-ms=15",
                                                       "--token-lifetime-seconds",
                                                       "30",
                                                       "--retry-after-seconds",
                                                       "2",
                                                       "--fic-write-hold-ms",
                                                       "5"});
  Options const& options = command_line.options;
  EXPECT_EQ(options.port, 8443);
  EXPECT_EQ(*options.seed, "seed.json");
  EXPECT_DOUBLE_EQ(options.cluster_update.count(), 0.2);
  EXPECT_EQ(options.latency.count(), 15);
  EXPECT_DOUBLE_EQ(options.token_lifetime.count(), 30.0);
  EXPECT_EQ(*options.retry_after_seconds, 2);
  EXPECT_EQ(options.fic_write_hold.count(), 5);
}

void expect_error_naming(std::vector<std::string> const& arguments, std::string const& flag) {
  try {
    (void)parse_command_line(arguments);
    ADD_FAILURE() << "no error for " << flag;
  } catch (std::invalid_argument const& error) {
    EXPECT_NE(std::string(error.what()).find(flag), std::string::npos) << error.what();
  }
}

TEST(OptionsTest, ErrorsNameTheFlag) {
  expect_error_naming({"--port", "1"}, "--state-dir");
  expect_error_naming({"--state-dir", "d", "--port", "70000"}, "--port");
  expect_error_naming({"--state-dir", "d", "--cluster-update-seconds", "soon"},
                      "--cluster-update-seconds");
  expect_error_naming({"--state-dir", "d", "--token-lifetime-seconds", "0"},
                      "--token-lifetime-seconds");
  expect_error_naming({"--state-dir", "d", "--latency-ms", "-1"}, "--latency-ms");
  expect_error_naming({"--state-dir", "d", "--seed"}, "--seed");
  expect_error_naming({"--state-dir", "d", "--verbose"}, "--verbose");
}

TEST(OptionsTest, SignInFlags) {
  Options const defaults = parse_command_line({"--state-dir", "d"}).options;
  EXPECT_EQ(defaults.imds_port, 0);
  EXPECT_DOUBLE_EQ(defaults.device_code_lifetime.count(), 900.0);
  EXPECT_DOUBLE_EQ(defaults.device_code_interval.count(), 1.0);
  EXPECT_FALSE(defaults.device_code_auto_approve_polls);

  Options const options = parse_command_line({"--state-dir",
                                              "d",
                                              "--imds-port",
                                              "50342",
                                              "--device-code-expires-seconds",
                                              "2.5",
                                              "--device-code-interval-seconds=0",
                                              "--device-code-auto-approve-polls",
                                              "0"})
                              .options;
  EXPECT_EQ(options.imds_port, 50342);
  EXPECT_DOUBLE_EQ(options.device_code_lifetime.count(), 2.5);
  EXPECT_DOUBLE_EQ(options.device_code_interval.count(), 0.0);
  EXPECT_EQ(options.device_code_auto_approve_polls, 0);

  expect_error_naming({"--state-dir", "d", "--device-code-expires-seconds", "0"},
                      "--device-code-expires-seconds");
  expect_error_naming({"--state-dir", "d", "--device-code-auto-approve-polls", "-1"},
                      "--device-code-auto-approve-polls");
  expect_error_naming({"--state-dir", "d", "--imds-port", "x"}, "--imds-port");
}

TEST(OptionsTest, HelpNeedsNothingElse) {
  EXPECT_TRUE(parse_command_line({"--help"}).help);
  EXPECT_NE(usage().find("--cluster-update-seconds"), std::string::npos);
  EXPECT_NE(usage().find("--device-code-auto-approve-polls"), std::string::npos);
}

} // namespace
} // namespace wisetup::sim
