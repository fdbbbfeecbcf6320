// The check before the first write: a missing ARM action or Kubernetes verb stops enable before
// it changes anything, naming the right and where; the role docs/permissions.md gives is enough.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace wisetup::integration {
namespace {

/// The tutorial's environment, signed in as the seed's principal called `display_name`.
std::map<std::string, std::string> signed_in_as(Simulator const& simulator,
                                                std::string const& display_name) {
  auto environment = tutorial_environment(simulator);
  auto const seed = Simulator::default_seed(); // kept: a range-for over a temporary's part dangles
  for (auto const& principal : seed["servicePrincipals"]) {
    if (principal["displayName"] == display_name) {
      environment["AZURE_CLIENT_ID"] = principal["clientId"].get<std::string>();
      environment["AZURE_CLIENT_SECRET"] = principal["clientSecret"].get<std::string>();
      return environment;
    }
  }
  ADD_FAILURE() << "the seed has no principal " << display_name;
  return environment;
}

/// The "Actions" of the custom role in docs/permissions.md.
nlohmann::json documented_role_actions() {
  std::ifstream file{std::string(WISETUP_SOURCE_DIR) + "/docs/permissions.md"};
  std::stringstream text;
  text << file.rdbuf();
  auto const document = text.str();
  auto const start = document.find("```json\n");
  auto const end = document.find("```", start + 8);
  if (start == std::string::npos || end == std::string::npos) {
    ADD_FAILURE() << "docs/permissions.md has no JSON role";
    return nullptr;
  }
  return nlohmann::json::parse(document.substr(start + 8, end - start - 8))["Actions"];
}

TEST(AccessPreflightTest, TheDocumentedRoleIsEnoughForEnableAndDisable) {
  Simulator simulator;
  nlohmann::json allowed;
  auto const seed = Simulator::default_seed();
  for (auto const& principal : seed["servicePrincipals"]) {
    if (principal["displayName"] == "wi-setup-least-privileged") {
      allowed = principal["allowedActions"];
    }
  }
  // The simulated principal holds exactly the role the docs tell users to create.
  EXPECT_EQ(documented_role_actions(), allowed);

  auto const environment = signed_in_as(simulator, "wi-setup-least-privileged");
  auto result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(find_resource(simulator.state(),
                            "/userAssignedIdentities/myIdentity/federatedIdentityCredentials/"
                            "myFedIdentity"));
  result = run_wi_setup(simulator, {"disable", "--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_FALSE(find_resource(simulator.state(), "/userAssignedIdentities/myIdentity"));
}

TEST(AccessPreflightTest, AMissingActionStopsEnableBeforeAnyWriteAndNamesItsScope) {
  Simulator simulator;
  auto const before = simulator.state();
  auto const result =
      run_enable(simulator, {"--yes"}, signed_in_as(simulator, "wi-setup-no-credential-write"));
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  EXPECT_NE(result.err.find("Microsoft.ManagedIdentity/userAssignedIdentities/"
                            "federatedIdentityCredentials/write over /subscriptions/"
                            "00000000-0000-0000-0000-000000000001/resourceGroups/myResourceGroup"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("nothing was changed"), std::string::npos) << result.err;
  EXPECT_TRUE(writes(simulator.requests()).empty()) << simulator.requests().dump(2);
  EXPECT_TRUE(simulator.state()["resources"] == before["resources"]);
}

TEST(AccessPreflightTest, MissingKubernetesVerbsStopEnableBeforeAnyWrite) {
  Simulator simulator;
  auto environment = signed_in_as(simulator, "wi-setup-k8s-restricted");
  environment["AKSCLUSTER"] = "myEntraCluster"; // its users are Entra principals
  auto const before = simulator.state();
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  EXPECT_NE(result.err.find("on cluster myEntraCluster, the user of its credential may not create "
                            "serviceaccounts in namespace default"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(writes(simulator.requests()).empty()) << simulator.requests().dump(2);
  EXPECT_TRUE(simulator.state()["resources"] == before["resources"]);
  EXPECT_TRUE(simulator.state()["kubernetes"] == before["kubernetes"]);
}

TEST(AccessPreflightTest, AMissingRoleAssignmentRightOnAnRbacVaultIsFoundFirst) {
  Simulator simulator;
  auto environment = signed_in_as(simulator, "wi-setup-no-rbac-writes");
  environment["KEYVAULT_NAME"] = "keyvault-wi-rbac";
  auto const result = run_enable(simulator, {"--yes", "--output", "json"}, environment);
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  EXPECT_NE(result.err.find("Microsoft.Authorization/roleAssignments/write over /subscriptions/"
                            "00000000-0000-0000-0000-000000000001/resourceGroups/myResourceGroup/"
                            "providers/Microsoft.KeyVault/vaults/keyvault-wi-rbac"),
            std::string::npos)
      << result.err;
  auto const document = nlohmann::json::parse(result.out);
  for (auto const& step : document["steps"]) {
    EXPECT_EQ(step["status"], step["name"] == "keyvault-access" ? "failed" : "skipped")
        << step.dump();
  }
  EXPECT_TRUE(writes(simulator.requests()).empty()) << simulator.requests().dump(2);
}

TEST(AccessPreflightTest, SkipAccessCheckLeavesItToTheRequestThatNeedsTheRight) {
  Simulator simulator;
  auto environment = signed_in_as(simulator, "wi-setup-no-rbac-writes");
  environment["KEYVAULT_NAME"] = "keyvault-wi-rbac";
  auto const result =
      run_enable(simulator, {"--yes", "--skip-access-check", "--output", "json"}, environment);
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  EXPECT_NE(result.err.find("Microsoft.Authorization/roleAssignments/write"), std::string::npos)
      << result.err;
  for (auto const& entry : simulator.requests()) {
    EXPECT_EQ(entry["path"].get<std::string>().find("Microsoft.Authorization/permissions"),
              std::string::npos);
  }
  // Refused by Azure itself, the failing step does not stop the independent ones.
  auto const document = nlohmann::json::parse(result.out);
  for (auto const& step : document["steps"]) {
    if (step["name"] == "keyvault-access") {
      EXPECT_EQ(step["status"], "failed");
    } else {
      EXPECT_NE(step["status"], "failed") << step.dump();
    }
  }
  EXPECT_TRUE(find_resource(simulator.state(),
                            "/userAssignedIdentities/myIdentity/federatedIdentityCredentials/"
                            "myFedIdentity"));
}

TEST(AccessPreflightTest, AnUnansweredCheckIsAWarningNotABlock) {
  Simulator simulator;
  simulator.add_fault({{"method", "GET"},
                       {"path_regex", ".*/providers/Microsoft.Authorization/permissions$"},
                       {"status", 404},
                       {"times", 10},
                       {"code", "NoRegisteredProviderFound"}});
  auto const result = run_enable(simulator, {"--yes"}, tutorial_environment(simulator));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.err.find("could not check the rights"), std::string::npos) << result.err;
  EXPECT_TRUE(find_resource(simulator.state(),
                            "/userAssignedIdentities/myIdentity/federatedIdentityCredentials/"
                            "myFedIdentity"));
}

TEST(AccessPreflightTest, AConvergedReRunAsksNothing) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  ASSERT_EQ(run_enable(simulator, {"--yes"}, environment).exit_code, 0);
  auto const first = simulator.requests().size();
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const log = simulator.requests();
  for (std::size_t index = first; index < log.size(); ++index) {
    auto const path = log[index]["path"].get<std::string>();
    EXPECT_EQ(path.find("Microsoft.Authorization/permissions"), std::string::npos) << path;
    EXPECT_EQ(path.find("selfsubjectaccessreviews"), std::string::npos) << path;
  }
}

} // namespace
} // namespace wisetup::integration
