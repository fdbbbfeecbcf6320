// End-to-end: `wi-setup plan` and `enable --dry-run` against wi-setup-sim: they read, list every
// step and write nothing; the simulator's request log and state are the evidence.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace wisetup::integration {
namespace {

std::vector<std::string> const k_enable_steps = {"cluster",
                                                 "oidc-issuer",
                                                 "identity",
                                                 "keyvault",
                                                 "keyvault-access",
                                                 "service-account",
                                                 "federated-credential"};

std::vector<std::string> step_names(nlohmann::json const& document) {
  std::vector<std::string> names;
  for (auto const& step : document.at("steps")) {
    names.push_back(step.at("name").get<std::string>());
  }
  return names;
}

nlohmann::json const& step_named(nlohmann::json const& document, std::string const& name) {
  for (auto const& step : document.at("steps")) {
    if (step.at("name") == name) {
      return step;
    }
  }
  throw std::runtime_error("no step " + name + " in " + document.dump());
}

/// Runs `arguments` (a plan) on a fresh simulator and checks what a plan of the whole tutorial
/// must show and leave behind; returns the JSON document.
nlohmann::json expect_full_plan_without_writes(std::vector<std::string> const& arguments) {
  Simulator simulator;
  auto const before = simulator.state();
  simulator.clear_requests();

  auto const result = run_wi_setup(simulator, arguments, tutorial_environment(simulator));
  EXPECT_EQ(result.exit_code, 8) << result.out << result.err;
  auto const log = simulator.requests();
  EXPECT_TRUE(writes(log).empty()) << log.dump(2);
  EXPECT_FALSE(log.empty()); // it did look
  auto const after = simulator.state();
  EXPECT_EQ(after["resources"], before["resources"]);
  EXPECT_EQ(after["roleAssignments"], before["roleAssignments"]);
  EXPECT_EQ(after["kubernetes"], before["kubernetes"]);

  auto const document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["exitCode"], 8);
  EXPECT_EQ(document["changesPending"], true);
  EXPECT_EQ(step_names(document), k_enable_steps);
  EXPECT_EQ(step_named(document, "cluster")["change"], "update");
  EXPECT_EQ(step_named(document, "identity")["change"], "create");
  EXPECT_EQ(step_named(document, "keyvault-access")["change"], "create");
  EXPECT_EQ(step_named(document, "service-account")["change"], "create");
  EXPECT_EQ(step_named(document, "federated-credential")["change"], "create");
  for (auto const& step : document["steps"]) {
    EXPECT_NE(step["status"], "failed") << step.dump();
    EXPECT_NE(step["status"], "created") << step.dump();
    EXPECT_NE(step["status"], "updated") << step.dump();
  }
  return document;
}

TEST(PlanTest, FreshSetupListsEveryStepWritesNothingAndExits8) {
  auto const document = expect_full_plan_without_writes({"plan", "-o", "json"});
  EXPECT_EQ(document["command"], "plan");
  EXPECT_EQ(document["dryRun"], false);
}

TEST(PlanTest, EnableDryRunBehavesAsPlan) {
  // As docs/plan.md says: `enable --dry-run` is the plan, marked as a dry run of enable.
  auto const document = expect_full_plan_without_writes({"enable", "--dry-run", "-o", "json"});
  EXPECT_EQ(document["command"], "enable");
  EXPECT_EQ(document["dryRun"], true);
}

TEST(PlanTest, AfterEnableNothingIsPendingAndExits0) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  auto const enabled = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(enabled.exit_code, 0) << enabled.out << enabled.err;
  auto const converged = simulator.state();
  simulator.clear_requests();

  auto const result = run_wi_setup(simulator, {"plan", "-o", "json"}, environment);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const log = simulator.requests();
  EXPECT_TRUE(writes(log).empty()) << log.dump(2);
  EXPECT_EQ(simulator.state()["resources"], converged["resources"]);

  auto const document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["changesPending"], false);
  EXPECT_EQ(step_names(document), k_enable_steps);
  for (auto const& step : document["steps"]) {
    EXPECT_EQ(step["change"], "none") << step.dump();
    EXPECT_TRUE(step["changes"].empty()) << step.dump();
  }
}

} // namespace
} // namespace wisetup::integration

namespace wisetup::integration {
namespace {

TEST(FlagsTest, AFlagWinsOverItsVariableInEverySubcommand) {
  // The tutorial's $USER_ASSIGNED_IDENTITY_NAME is myIdentity; --identity names another one.
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  for (std::vector<std::string> const& command :
       {std::vector<std::string>{"plan"},
        std::vector<std::string>{"enable", "--dry-run"},
        std::vector<std::string>{"verify"},
        std::vector<std::string>{"disable", "--dry-run"}}) {
    simulator.clear_requests();
    auto arguments = command;
    arguments.insert(arguments.end(), {"--identity", "flagIdentity"});
    auto const result = run_wi_setup(simulator, arguments, environment);
    EXPECT_NE(result.exit_code, 2) << command[0] << ": " << result.err;
    bool asked_for_flag = false;
    for (auto const& entry : simulator.requests()) {
      auto const path = entry.value("path", "");
      EXPECT_EQ(path.find("/userAssignedIdentities/myIdentity"), std::string::npos)
          << command[0] << " read the identity of the variable: " << path;
      asked_for_flag =
          asked_for_flag || path.find("/userAssignedIdentities/flagIdentity") != std::string::npos;
    }
    EXPECT_TRUE(asked_for_flag) << command[0];
  }
}

} // namespace
} // namespace wisetup::integration
