// Failures end with the documented exit code, a sentence naming the fix, and no change.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace wisetup::integration {
namespace {

TEST(EnableFailuresTest, InvalidNamesAreRefusedBeforeAnyRequest) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment["NAMESPACE"] = "Not_A_Namespace";
  environment["USER_ASSIGNED_IDENTITY_NAME"] = "x";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--namespace \"Not_A_Namespace\""), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--identity \"x\""), std::string::npos) << result.err;
  EXPECT_TRUE(simulator.requests().empty());
}

TEST(EnableFailuresTest, MissingCredentialNamesTheVariables) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment.erase("AZURE_CLIENT_SECRET");
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("AZURE_CLIENT_SECRET"), std::string::npos) << result.err;
  EXPECT_TRUE(simulator.requests().empty());
}

TEST(EnableFailuresTest, WrongSecretIsAnAuthenticationFailureThatDoesNotEchoTheSecret) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment["AZURE_CLIENT_SECRET"] = "wrong-secret-CANARY-1234";
  auto const result = run_enable(simulator, {"--yes", "-vv"}, environment);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("AADSTS7000215"), std::string::npos) << result.err;
  EXPECT_EQ((result.out + result.err).find("CANARY"), std::string::npos);
  EXPECT_TRUE(writes(simulator.requests()).empty());
}

TEST(EnableFailuresTest, WithoutATerminalOrYesNothingIsChanged) {
  Simulator simulator;
  auto const before = simulator.state();
  auto const result = run_enable(simulator, {}, tutorial_environment(simulator));
  EXPECT_EQ(result.exit_code, 7) << result.out << result.err;
  EXPECT_NE(result.err.find("--yes"), std::string::npos) << result.err;
  // A "no" is a cancellation, not a failure.
  EXPECT_NE(result.out.find("cancelled: nothing changed"), std::string::npos) << result.out;
  EXPECT_EQ(result.err.find("error:"), std::string::npos) << result.err;
  EXPECT_TRUE(writes(simulator.requests()).empty()) << simulator.requests().dump(2);
  EXPECT_EQ(simulator.state()["resources"], before["resources"]);
}

TEST(EnableFailuresTest, ARunThatStopsAtThePromptDoesNotWaitForAReadNoStepTook) {
  Simulator simulator;
  // The service account's read, started ahead, hangs; a run declined at the prompt never needs it.
  simulator.add_fault({{"method", "GET"},
                       {"path_regex", "/serviceaccounts/workload-identity-sa$"},
                       {"hold_seconds", 20},
                       {"times", 1}});
  auto const started = std::chrono::steady_clock::now();
  auto const result = run_enable(simulator, {}, tutorial_environment(simulator));
  auto const took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.exit_code, 7) << result.out << result.err;
  EXPECT_NE(result.out.find("cancelled: nothing changed"), std::string::npos) << result.out;
  // Not the 20 s hold (nor the request's own 20 s timeout): the held read ends with the run.
  EXPECT_LT(took, std::chrono::seconds{10});
  EXPECT_TRUE(writes(simulator.requests()).empty()) << simulator.requests().dump(2);
}

TEST(EnableFailuresTest, UnknownClusterIsNamedWithItsResourceGroupAndNothingIsWritten) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment["AKSCLUSTER"] = "noSuchCluster";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  EXPECT_NE(result.err.find("noSuchCluster"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("myResourceGroup"), std::string::npos) << result.err;
  EXPECT_TRUE(writes(simulator.requests()).empty());
}

TEST(EnableFailuresTest, ThrottlingIsRetriedAfterRetryAfter) {
  Simulator simulator;
  simulator.add_fault({{"method", "PUT"},
                       {"path_regex", ".*/userAssignedIdentities/myIdentity$"},
                       {"status", 429},
                       {"times", 2},
                       {"retry_after", 1},
                       {"code", "TooManyRequests"}});
  auto const result = run_enable(simulator, {"--yes"}, tutorial_environment(simulator));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(find_resource(simulator.state(), "/userAssignedIdentities/myIdentity"));
  int throttled = 0;
  for (auto const& entry : simulator.requests()) {
    throttled += entry["status"] == 429 ? 1 : 0;
  }
  EXPECT_EQ(throttled, 2);
}

TEST(EnableFailuresTest, ExistingCredentialForThePairIsReused) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  ASSERT_EQ(run_enable(simulator, {"--yes"}, environment).exit_code, 0);
  environment["FEDERATED_IDENTITY_CREDENTIAL_NAME"] = "another-name";
  auto const result = run_enable(simulator, {}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const credentials =
      resources_containing(simulator.state(), "/myIdentity/federatedIdentityCredentials/");
  ASSERT_EQ(credentials.size(), 1U);
  EXPECT_EQ(credentials[0]["name"], "myFedIdentity");
}

} // namespace
} // namespace wisetup::integration
