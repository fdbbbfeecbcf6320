// In a pipeline, the identity's ids and the issuer URL reach the next step: GitHub Actions through
// $GITHUB_OUTPUT (and a job summary), Azure Pipelines through output variables. The values must be
// the ones the simulated Azure holds.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wisetup::integration {
namespace {

std::string read(std::filesystem::path const& path) {
  std::ifstream file{path};
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

struct Azure {
  std::string client_id;
  std::string principal_id;
  std::string issuer_url;
};

Azure what_azure_holds(Simulator const& simulator) {
  auto const state = simulator.state();
  auto const identity = find_resource(state, "/userAssignedIdentities/myIdentity");
  auto const cluster = find_resource(state, "/managedClusters/myAKSCluster");
  if (!identity || !cluster) {
    ADD_FAILURE() << "enable made no identity or lost the cluster";
    return {};
  }
  return {(*identity)["properties"]["clientId"].get<std::string>(),
          (*identity)["properties"]["principalId"].get<std::string>(),
          (*cluster)["properties"]["oidcIssuerProfile"]["issuerURL"].get<std::string>()};
}

TEST(CiOutputsTest, GitHubActionsGetsTheOutputsAndASummary) {
  Simulator simulator;
  std::string pattern = (std::filesystem::temp_directory_path() / "wisetup-ci-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  std::filesystem::path const directory{pattern};
  auto environment = tutorial_environment(simulator);
  environment["GITHUB_ACTIONS"] = "true";
  environment["GITHUB_OUTPUT"] = (directory / "github_output").string();
  environment["GITHUB_STEP_SUMMARY"] = (directory / "step_summary.md").string();
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;

  auto const azure = what_azure_holds(simulator);
  EXPECT_EQ(read(directory / "github_output"),
            "client-id=" + azure.client_id + "\nprincipal-id=" + azure.principal_id +
                "\ntenant-id=aaaaaaaa-0000-4000-8000-000000000001\nissuer-url=" + azure.issuer_url +
                "\n");
  auto const summary = read(directory / "step_summary.md");
  std::filesystem::remove_all(directory);
  std::filesystem::remove_all(directory);
  EXPECT_NE(summary.find("| federated-credential | created |"), std::string::npos) << summary;
  EXPECT_NE(summary.find("azure.workload.identity/use"), std::string::npos) << summary;
  EXPECT_NE(result.out.find("::group::cluster: updated"), std::string::npos) << result.out;
}

TEST(CiOutputsTest, VerifyTellsTheNextStepWhetherTheBindingHolds) {
  Simulator simulator;
  std::string pattern = (std::filesystem::temp_directory_path() / "wisetup-ci-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  std::filesystem::path const directory{pattern};
  auto environment = tutorial_environment(simulator);
  ASSERT_EQ(run_enable(simulator, {"--yes"}, environment).exit_code, 0);
  environment["GITHUB_ACTIONS"] = "true";
  environment["GITHUB_OUTPUT"] = (directory / "holds").string();
  ASSERT_EQ(run_wi_setup(simulator, {"verify"}, environment).exit_code, 0);
  EXPECT_EQ(read(directory / "holds"), "verified=true\n");

  // Someone removes the credential: the next verify names the broken link.
  (void)simulator.arm("DELETE",
                      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/"
                      "myResourceGroup/providers/Microsoft.ManagedIdentity/"
                      "userAssignedIdentities/myIdentity/federatedIdentityCredentials/"
                      "myFedIdentity?api-version=2023-01-31");
  environment["GITHUB_OUTPUT"] = (directory / "broken").string();
  auto const broken = run_wi_setup(simulator, {"verify"}, environment);
  EXPECT_EQ(broken.exit_code, 9) << broken.out << broken.err;
  EXPECT_EQ(read(directory / "broken"), "verified=false\nbroken-link=federated-credential\n");
  EXPECT_NE(broken.out.find("::error title=wi-setup verify%3A federated-credential::"),
            std::string::npos)
      << broken.out;
  std::filesystem::remove_all(directory);
}

TEST(CiOutputsTest, AzurePipelinesGetsOutputVariables) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment["TF_BUILD"] = "True";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const azure = what_azure_holds(simulator);
  EXPECT_NE(result.out.find("##vso[task.setvariable variable=clientId;isOutput=true]" +
                            azure.client_id + "\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("##vso[task.setvariable variable=issuerUrl;isOutput=true]" +
                            azure.issuer_url + "\n"),
            std::string::npos)
      << result.out;
}

TEST(CiOutputsTest, AnErrorBeforeAnyStepIsAnAnnotation) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment["GITHUB_ACTIONS"] = "true";
  environment["NAMESPACE"] = "Not_A_Namespace";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.out.find("::error title=wi-setup::"), std::string::npos) << result.out;
}

} // namespace
} // namespace wisetup::integration
