// Interrupted runs: signals stop a run at once and say so; a re-run during a running cluster
// update waits for it (and reports its failure); a killed run is resumed by a re-run.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>

namespace wisetup::integration {
namespace interruption_test {

using Clock = std::chrono::steady_clock;

constexpr char const* k_cluster = "/managedClusters/myAKSCluster";

std::string provisioning_state(Simulator const& simulator) {
  auto const cluster = find_resource(simulator.state(), k_cluster);
  return cluster ? (*cluster)["properties"].value("provisioningState", "") : "";
}

/// Waits until the cluster update that the run started is under way (its PUT was accepted).
void wait_for_update_to_start(Simulator const& simulator) {
  auto const give_up = Clock::now() + std::chrono::seconds{20};
  while (provisioning_state(simulator) != "Updating") {
    ASSERT_LT(Clock::now(), give_up) << "the cluster update never started";
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

SimulatorOptions slow_update() {
  SimulatorOptions options;
  options.cluster_update_seconds = 4;
  return options;
}

class SignalTest : public ::testing::TestWithParam<int> {};

TEST_P(SignalTest, StopsWithin2SecondsSaysSoAndAReRunConverges) {
  int const signal = GetParam();
  Simulator simulator{slow_update()};
  auto const environment = tutorial_environment(simulator);
  auto run = start_wi_setup(simulator, {"enable", "--yes", "-o", "json"}, environment);
  wait_for_update_to_start(simulator);
  auto const signalled = Clock::now();
  run->send_signal(signal);
  auto const result = run->wait();
  EXPECT_LT(Clock::now() - signalled, std::chrono::seconds{2});
  EXPECT_EQ(result.exit_code, signal == SIGINT ? 130 : 143) << result.out << result.err;
  auto const document = nlohmann::json::parse(result.out); // still one JSON document
  EXPECT_EQ(document["interrupted"], true);
  EXPECT_EQ(document["exitCode"], signal == SIGINT ? 130 : 143);
  EXPECT_FALSE(find_resource(simulator.state(), "/federatedIdentityCredentials/myFedIdentity"));

  // The update the stopped run started is still running: the re-run waits for it and finishes.
  auto const again = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  auto const state = simulator.state();
  auto const cluster = find_resource(state, k_cluster);
  ASSERT_TRUE(cluster);
  EXPECT_EQ((*cluster)["properties"]["provisioningState"], "Succeeded");
  auto const credential = find_resource(state, "/federatedIdentityCredentials/myFedIdentity");
  ASSERT_TRUE(credential);
  EXPECT_EQ((*credential)["properties"]["issuer"],
            (*cluster)["properties"]["oidcIssuerProfile"]["issuerURL"]);
}

INSTANTIATE_TEST_SUITE_P(SigintAndSigterm,
                         SignalTest,
                         ::testing::Values(SIGINT, SIGTERM),
                         [](auto const& param_info) {
                           return std::string(param_info.param == SIGINT ? "Sigint" : "Sigterm");
                         });

TEST(InterruptionTest, TheTimeoutBoundsTheWholeRunAndAReRunFinishes) {
  SimulatorOptions options;
  options.cluster_update_seconds = 6;
  Simulator simulator{options};
  auto const environment = tutorial_environment(simulator);
  auto const started = Clock::now();
  auto const result =
      run_enable(simulator, {"--yes", "--timeout", "2s", "-o", "json"}, environment);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds{4});
  EXPECT_EQ(result.exit_code, 5) << result.out << result.err;
  auto const document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["interrupted"], true);
  EXPECT_FALSE(find_resource(simulator.state(), "/federatedIdentityCredentials/myFedIdentity"));
  auto const again = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_TRUE(find_resource(simulator.state(), "/federatedIdentityCredentials/myFedIdentity"));
}

TEST(InterruptionTest, AReRunDuringAnUpdateThatEndsFailedReportsTheFailure) {
  // A CI job killed after its cluster PUT, and retried at once: the features read as on, but the
  // update it started will fail. The re-run must not report success or federate anything.
  Simulator simulator{slow_update()};
  simulator.add_fault({{"kind", "operation"},
                       {"path_regex", "myAKSCluster"},
                       {"code", "QuotaExceeded"},
                       {"message", "Not enough cores in eastus."}});
  auto const environment = tutorial_environment(simulator);
  {
    auto killed = start_wi_setup(simulator, {"enable", "--yes"}, environment);
    wait_for_update_to_start(simulator);
    killed->send_signal(SIGKILL);
    EXPECT_EQ(killed->wait().exit_code, 128 + SIGKILL);
  }
  auto const again = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(again.exit_code, 4) << again.out << again.err;
  EXPECT_NE(again.err.find("ended Failed"), std::string::npos) << again.err;
  EXPECT_EQ(provisioning_state(simulator), "Failed");
  EXPECT_FALSE(find_resource(simulator.state(), "/federatedIdentityCredentials/myFedIdentity"));
}

TEST(InterruptionTest, ARunKilledMidUpdateIsResumedToTheSameEndStateAsAnUninterruptedOne) {
  Simulator interrupted{slow_update()};
  auto const environment = tutorial_environment(interrupted);
  {
    auto killed = start_wi_setup(interrupted, {"enable", "--yes"}, environment);
    wait_for_update_to_start(interrupted);
    killed->send_signal(SIGKILL);
    (void)killed->wait();
  }
  auto const resumed = run_enable(interrupted, {"--yes"}, environment);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;

  Simulator uninterrupted{slow_update()};
  ASSERT_EQ(run_enable(uninterrupted, {"--yes"}, tutorial_environment(uninterrupted)).exit_code, 0);
  // The same resources and Kubernetes objects, by id (generated ids and times aside).
  auto const ids = [](nlohmann::json const& state) {
    std::vector<std::string> list;
    for (auto const& [id, resource] : state.at("resources").items()) {
      list.push_back(id);
    }
    return list;
  };
  EXPECT_EQ(ids(interrupted.state()), ids(uninterrupted.state()));
  auto const accounts = [](nlohmann::json const& state) {
    std::vector<std::string> list;
    for (auto const& [name, account] : kubernetes_of(state).at("serviceAccounts").items()) {
      list.push_back(name);
    }
    return list;
  };
  EXPECT_EQ(accounts(interrupted.state()), accounts(uninterrupted.state()));
}

} // namespace interruption_test
} // namespace wisetup::integration
