// Each way of signing in, end to end against the simulator.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace wisetup::integration {
namespace {

/// A stand-in for the Azure CLI: a shell script that answers `account show` and
/// `account get-access-token` as az 2.54+ does, with a token the simulator issued.
std::string fake_az(Simulator const& simulator, std::string const& token) {
  auto const dir = make_temp_dir("wisetup-az");
  auto const subscription =
      simulator.seed().at("subscriptions").at(0).at("subscriptionId").get<std::string>();
  auto const tenant = simulator.seed().at("tenantId").get<std::string>();
  auto const expires = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() +
                       3600;
  write_file(dir + "/az",
             "#!/bin/sh\n"
             "echo \"$@\" >> \"$(dirname \"$0\")/calls\"\n"
             "case \"$2\" in\n"
             "  show) echo '{\"id\": \"" +
                 subscription + "\", \"tenantId\": \"" + tenant +
                 "\", \"isDefault\": true}' ;;\n"
                 "  get-access-token) echo '{\"accessToken\": \"" +
                 token + "\", \"expires_on\": " + std::to_string(expires) +
                 ", \"tokenType\": \"Bearer\"}' ;;\n"
                 "  *) echo \"unexpected: $*\" >&2; exit 2 ;;\n"
                 "esac\n");
  std::filesystem::permissions(dir + "/az", std::filesystem::perms::owner_all);
  return dir;
}

TEST(SignInTest, AzureCliSuppliesTheTokenTheTenantAndTheSubscription) {
  Simulator simulator;
  auto const az_dir =
      fake_az(simulator, simulator.token_for(0, "https://management.core.windows.net/.default"));
  auto environment = tutorial_environment(simulator);
  for (auto const* name :
       {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_SUBSCRIPTION_ID"}) {
    environment.erase(name);
  }
  environment["PATH"] = az_dir + ":/bin:/usr/bin";
  auto const result = run_enable(simulator, {"--yes", "--auth", "azure-cli"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(find_resource(simulator.state(),
                            "/userAssignedIdentities/myIdentity/federatedIdentityCredentials/"
                            "myFedIdentity"));
  auto const calls = read_file(az_dir + "/calls");
  EXPECT_NE(calls.find("account show --output json"), std::string::npos) << calls;
  EXPECT_NE(calls.find("account get-access-token --output json --scope "
                       "https://management.core.windows.net/.default --tenant "),
            std::string::npos)
      << calls;
  std::filesystem::remove_all(az_dir);
}

TEST(SignInTest, WhenNothingIsConfiguredEveryKindSaysWhy) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment.erase("AZURE_CLIENT_SECRET");
  environment.erase("AZURE_CLIENT_ID");
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  for (auto const* kind : {"environment", "workload identity", "managed identity", "Azure CLI"}) {
    EXPECT_NE(result.err.find(kind), std::string::npos) << kind << " in: " << result.err;
  }
  EXPECT_TRUE(writes(simulator.requests()).empty());
}

TEST(SignInTest, ARejectedConfiguredCredentialStopsTheChain) {
  Simulator simulator;
  auto const az_dir =
      fake_az(simulator, simulator.token_for(0, "https://management.core.windows.net/.default"));
  auto environment = tutorial_environment(simulator);
  environment["AZURE_CLIENT_SECRET"] = "not-the-secret";
  environment["PATH"] = az_dir + ":/bin:/usr/bin"; // a signed-in az must not be fallen back on
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_FALSE(std::filesystem::exists(az_dir + "/calls"));
  EXPECT_TRUE(writes(simulator.requests()).empty());
  std::filesystem::remove_all(az_dir);
}

} // namespace
} // namespace wisetup::integration
