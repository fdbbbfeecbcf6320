// The cluster step: waiting for a running operation, a failed update, and tokens that expire
// while the update runs.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

namespace wisetup::integration {
namespace {

nlohmann::json& seeded_cluster(nlohmann::json& seed) {
  for (auto& resource : seed["resources"]) {
    if (resource["id"].get<std::string>().find("/managedClusters/") != std::string::npos) {
      return resource;
    }
  }
  throw std::runtime_error("the default seed has no cluster");
}

TEST(ClusterUpdateTest, RunningOperationIsWaitedForBeforeTheUpdate) {
  auto seed = Simulator::default_seed();
  auto& busy = seeded_cluster(seed);
  busy["sim:busySeconds"] = 1.0;
  busy["properties"]["provisioningState"] = "Updating";
  Simulator simulator{seeded(seed)};
  auto const result = run_enable(simulator, {"--yes"}, tutorial_environment(simulator));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const cluster = find_resource(simulator.state(), "/managedClusters/myAKSCluster");
  EXPECT_EQ((*cluster)["properties"]["oidcIssuerProfile"]["enabled"], true);
  for (auto const& entry : simulator.requests()) {
    EXPECT_NE(entry["status"], 409)
        << "wi-setup wrote while an operation was running: " << entry.dump();
  }
}

TEST(ClusterUpdateTest, FailedUpdateEndsWithTheServicesErrorAndTheOthersStillDone) {
  Simulator simulator;
  simulator.add_fault({{"kind", "operation"},
                       {"path_regex", "myAKSCluster"},
                       {"code", "QuotaExceeded"},
                       {"message", "Not enough cores in eastus."}});
  auto const result =
      run_enable(simulator, {"--yes", "--output", "json"}, tutorial_environment(simulator));
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  EXPECT_NE(result.err.find("QuotaExceeded"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("Not enough cores in eastus"), std::string::npos) << result.err;
  auto const document = nlohmann::json::parse(result.out);
  std::map<std::string, std::string> statuses;
  for (auto const& step : document["steps"]) {
    statuses[step["name"]] = step["status"];
  }
  EXPECT_EQ(statuses["cluster"], "failed");
  EXPECT_EQ(statuses["identity"], "created");
  EXPECT_EQ(statuses["service-account"], "created");
  EXPECT_EQ(statuses["oidc-issuer"], "skipped");
  EXPECT_EQ(statuses["federated-credential"], "skipped");
  // A re-run after the fault is gone finishes the job.
  auto const again = run_enable(simulator, {"--yes"}, tutorial_environment(simulator));
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
}

TEST(ClusterUpdateTest, TokensThatExpireDuringTheUpdateAreRenewed) {
  SimulatorOptions options;
  // Tokens of 2 s are renewed after 1 s (half their life): a 4 s update needs several, and a
  // request has a second of slack even in a sanitizer build.
  options.cluster_update_seconds = 4;
  options.extra_arguments = {"--token-lifetime-seconds", "2"};
  Simulator simulator{options};
  auto const result = run_enable(simulator, {"--yes"}, tutorial_environment(simulator));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  int tokens = 0;
  for (auto const& entry : simulator.requests()) {
    tokens += entry["service"] == "token" ? 1 : 0;
    EXPECT_NE(entry["status"], 401) << entry.dump();
  }
  EXPECT_GE(tokens, 2);
}

} // namespace
} // namespace wisetup::integration

#include <future>

namespace wisetup::integration {
namespace {

TEST(ConcurrentRunsTest, TwoServiceAccountsWiredToOneIdentityAtOnce) {
  // A CI matrix: two jobs wire two service accounts to the same identity at the same time. The
  // simulator holds each credential write 300 ms and refuses overlapping ones with 409, as Azure
  // does; the second cluster update finds the first running and waits for it.
  SimulatorOptions options;
  options.extra_arguments = {"--fic-write-hold-ms", "300"};
  Simulator simulator{options};
  auto run = [&](std::string const& account) {
    auto environment = tutorial_environment(simulator);
    environment["SERVICE_ACCOUNT_NAME"] = account;
    environment.erase("FEDERATED_IDENTITY_CREDENTIAL_NAME");
    return run_enable(simulator, {"--yes"}, environment);
  };
  auto first = std::async(std::launch::async, run, "frontend");
  auto second = std::async(std::launch::async, run, "backend");
  for (auto* job : {&first, &second}) {
    auto const result = job->get();
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  }
  auto const state = simulator.state();
  EXPECT_TRUE(find_resource(state, "/federatedIdentityCredentials/default-frontend"));
  EXPECT_TRUE(find_resource(state, "/federatedIdentityCredentials/default-backend"));
}

} // namespace
} // namespace wisetup::integration

namespace wisetup::integration {
namespace {

TEST(ApiServerRestartTest, ServiceAccountStepOutlastsAnApiServerThatRefusesForAWhile) {
  // Enabling the OIDC issuer restarts the API server: seven refusals in a row are more than the
  // default retry budget and within the Kubernetes one.
  Simulator simulator;
  simulator.add_fault({{"service", "kubernetes"},
                       {"path_regex", "/serviceaccounts"},
                       {"status", 503},
                       {"times", 7},
                       {"retry_after", 0}});
  auto const result = run_enable(simulator, {"--yes"}, tutorial_environment(simulator));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const state = simulator.state();
  EXPECT_TRUE(kubernetes_of(state)["serviceAccounts"].contains("default/workload-identity-sa"));
  int refused = 0;
  for (auto const& entry : simulator.requests()) {
    refused += entry["status"] == 503 ? 1 : 0;
  }
  EXPECT_EQ(refused, 7);
}

} // namespace
} // namespace wisetup::integration
