#include <wisetup/cli/enable_inputs.hpp>
#include <wisetup/core/error.hpp>

#include <gtest/gtest.h>

namespace wisetup::cli {
namespace {

CommandOptions tutorial_options() {
  CommandOptions options;
  options.subscription = "00000000-0000-0000-0000-000000000001";
  options.resource_group = "myResourceGroup";
  options.cluster = "myAKSCluster";
  options.identity = "myIdentity";
  options.keyvault = "keyvault-workload-id";
  options.kube_namespace = "default";
  options.service_account = "workload-identity-sa";
  return options;
}

std::string problems_of(CommandOptions const& options) {
  try {
    (void)resolve_inputs(options);
  } catch (core::InvalidInput const& error) {
    return error.what();
  }
  return {};
}

TEST(EnableInputsTest, FillsDefaultsFromTheClustersResourceGroup) {
  auto const inputs = resolve_inputs(tutorial_options());
  EXPECT_EQ(inputs.cluster.resource_group, "myResourceGroup");
  EXPECT_EQ(inputs.identity.resource_group, "myResourceGroup");
  ASSERT_TRUE(inputs.key_vault);
  EXPECT_EQ(inputs.key_vault->resource_group, "myResourceGroup");
  EXPECT_FALSE(inputs.location);
  EXPECT_EQ(inputs.federated_credential, "default-workload-identity-sa");
  EXPECT_EQ(inputs.audience, "api://AzureADTokenExchange");
  EXPECT_EQ(inputs.permissions.keys, std::vector<std::string>{"get"});
  EXPECT_EQ(inputs.permissions.secrets, std::vector<std::string>{"get"});
  EXPECT_EQ(inputs.permissions.certificates, std::vector<std::string>{"get"});
}

TEST(EnableInputsTest, OtherResourceGroupsAndLocationAreUsed) {
  auto options = tutorial_options();
  options.identity_resource_group = "identities-rg";
  options.keyvault_resource_group = "vaults-rg";
  options.location = "westeurope";
  auto const inputs = resolve_inputs(options);
  EXPECT_EQ(inputs.identity.resource_group, "identities-rg");
  EXPECT_EQ(inputs.key_vault->resource_group, "vaults-rg");
  EXPECT_EQ(inputs.location, "westeurope");
}

TEST(EnableInputsTest, EveryProblemIsListedWithItsFlagAndVariable) {
  CommandOptions options;
  options.kube_namespace = "Bad";
  auto const message = problems_of(options);
  EXPECT_NE(message.find("missing --subscription (or set $AZURE_SUBSCRIPTION_ID, or sign in"),
            std::string::npos);
  EXPECT_NE(message.find("missing --cluster (or set $AKSCLUSTER)"), std::string::npos);
  EXPECT_NE(message.find("missing --identity (or set $USER_ASSIGNED_IDENTITY_NAME)"),
            std::string::npos);
  EXPECT_NE(message.find("--namespace \"Bad\" is invalid"), std::string::npos);
  EXPECT_NE(message.find("missing --service-account (or set $SERVICE_ACCOUNT_NAME)"),
            std::string::npos);
}

TEST(EnableInputsTest, PermissionsAreCheckedAndGivenTheSpecsCasing) {
  auto options = tutorial_options();
  options.key_permissions = {"GET", "wrapkey", "get"};
  options.secret_permissions = {"none"};
  auto const inputs = resolve_inputs(options);
  EXPECT_EQ(inputs.permissions.keys, (std::vector<std::string>{"get", "wrapKey"}));
  EXPECT_TRUE(inputs.permissions.secrets.empty());

  options.certificate_permissions = {"read"};
  auto const message = problems_of(options);
  EXPECT_NE(message.find("--certificate-permissions \"read\" is not a permission"),
            std::string::npos);
}

TEST(EnableInputsTest, NoVaultMeansNoVaultStep) {
  auto options = tutorial_options();
  options.keyvault.clear();
  EXPECT_FALSE(resolve_inputs(options).key_vault);
  options.keyvault_resource_group = "rg2";
  EXPECT_NE(problems_of(options).find("--keyvault-resource-group is given but no --keyvault"),
            std::string::npos);
}

} // namespace
} // namespace wisetup::cli

namespace wisetup::cli {
namespace {

TEST(TimeoutTest, MinutesOrANumberWithAUnit) {
  EXPECT_EQ(parse_timeout("30"), std::chrono::seconds{1800});
  EXPECT_EQ(parse_timeout("90s"), std::chrono::seconds{90});
  EXPECT_EQ(parse_timeout("15m"), std::chrono::seconds{900});
  EXPECT_EQ(parse_timeout("2h"), std::chrono::seconds{7200});
  for (auto const* bad : {"", "0", "-5", "5d", "1.5", "s", "10ms", "9999999"}) {
    EXPECT_FALSE(parse_timeout(bad)) << bad;
  }
}

} // namespace
} // namespace wisetup::cli
