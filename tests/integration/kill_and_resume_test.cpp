// SIGKILL at each step boundary of `enable`, then a re-run: it must converge to the same end
// state as a run that was never interrupted. Each case holds the next writes in the simulator
// (a hung answer), waits until the step before them is done, and kills the run there.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <regex>
#include <thread>

namespace wisetup::integration {
namespace {

struct Boundary {
  std::string name;
  std::vector<nlohmann::json> holds; ///< the writes after the boundary, held back
  std::string done_method;           ///< the write that ends the step before the boundary
  std::string done_path;             ///< (searched in the request log, case-insensitive)
};

nlohmann::json held(std::string const& method, std::string const& path_regex) {
  // Long enough for the kill and the re-run to pass it; the held request is then served, late,
  // as a request already sent is by Azure: the re-run must be safe against that too.
  return {{"method", method}, {"path_regex", path_regex}, {"hold_seconds", 5}, {"times", 1}};
}

std::vector<Boundary> const& boundaries() {
  static std::vector<Boundary> const k_boundaries{
      {"AfterTheIdentity",
       {held("PUT", "accessPolicies"), held("POST", "/serviceaccounts$")},
       "PUT",
       "/userAssignedIdentities/myIdentity$"},
      {"AfterTheVaultGrant", {held("POST", "/serviceaccounts$")}, "PUT", "accessPolicies"},
      {"AfterTheServiceAccount",
       {held("PUT", "federatedIdentityCredentials/")},
       "POST",
       "/serviceaccounts$"},
  };
  return k_boundaries;
}

class KillAndResumeTest : public ::testing::TestWithParam<Boundary> {};

bool logged(Simulator const& simulator, std::string const& method, std::string const& path) {
  std::regex const pattern{path, std::regex::icase};
  for (auto const& entry : simulator.requests()) {
    if (entry["method"] == method && std::regex_search(entry["path"].get<std::string>(), pattern) &&
        entry["status"] < 300) {
      return true;
    }
  }
  return false;
}

/// What an end state is made of: resource ids, vault policies' object ids, service accounts and
/// their client-id annotations, each sorted (generated values aside).
nlohmann::json shape(nlohmann::json const& state) {
  nlohmann::json shape = {{"resources", nlohmann::json::array()},
                          {"policies", nlohmann::json::array()},
                          {"accounts", nlohmann::json::array()}};
  for (auto const& [id, resource] : state.at("resources").items()) {
    shape["resources"].push_back(id);
    if (id.find("/vaults/keyvault-workload-id") != std::string::npos) {
      shape["policies"] = resource["properties"]["accessPolicies"].size();
    }
  }
  for (auto const& [name, account] : kubernetes_of(state).at("serviceAccounts").items()) {
    shape["accounts"].push_back(name);
  }
  return shape;
}

TEST_P(KillAndResumeTest, AReRunConvergesToTheEndStateOfAnUninterruptedRun) {
  auto const& boundary = GetParam();
  SimulatorOptions options;
  options.cluster_update_seconds = 3;
  Simulator interrupted{options};
  auto const environment = tutorial_environment(interrupted);
  for (auto const& hold : boundary.holds) {
    interrupted.add_fault(hold);
  }
  {
    auto killed = start_wi_setup(interrupted, {"enable", "--yes"}, environment);
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{20};
    while (!logged(interrupted, boundary.done_method, boundary.done_path)) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the step before never ended";
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    killed->send_signal(SIGKILL);
    EXPECT_EQ(killed->wait().exit_code, 128 + SIGKILL);
  }
  EXPECT_FALSE(find_resource(interrupted.state(), "/federatedIdentityCredentials/myFedIdentity"));
  auto const resumed = run_enable(interrupted, {"--yes"}, environment);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  // The held writes of the killed run arrive late; nothing they do may change the end state.
  std::this_thread::sleep_for(std::chrono::seconds{5});

  Simulator uninterrupted{options};
  ASSERT_EQ(run_enable(uninterrupted, {"--yes"}, tutorial_environment(uninterrupted)).exit_code, 0);
  EXPECT_EQ(shape(interrupted.state()), shape(uninterrupted.state()));
  auto const account =
      kubernetes_of(interrupted.state())["serviceAccounts"]["default/workload-identity-sa"];
  auto const identity = find_resource(interrupted.state(), "/userAssignedIdentities/myIdentity");
  ASSERT_TRUE(identity);
  EXPECT_EQ(account["metadata"]["annotations"]["azure.workload.identity/client-id"],
            (*identity)["properties"]["clientId"]);
}

INSTANTIATE_TEST_SUITE_P(StepBoundaries,
                         KillAndResumeTest,
                         ::testing::ValuesIn(boundaries()),
                         [](auto const& param_info) { return param_info.param.name; });

} // namespace
} // namespace wisetup::integration
