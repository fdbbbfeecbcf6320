#include <wisetup/core/cloud.hpp>
#include <wisetup/core/error.hpp>

#include <gtest/gtest.h>

namespace wisetup::core {
namespace {

TEST(CloudTest, BuiltinCloudsHaveTheirArmScope) {
  EXPECT_EQ(builtin_cloud("AzureCloud").arm_scope(),
            "https://management.core.windows.net/.default");
  EXPECT_EQ(builtin_cloud("AzureUSGovernment").resource_manager,
            "https://management.usgovcloudapi.net");
  EXPECT_EQ(builtin_cloud("AzureChinaCloud").active_directory, "https://login.chinacloudapi.cn");
}

TEST(CloudTest, UnknownNameListsTheChoices) {
  try {
    (void)builtin_cloud("AzureMoon");
    FAIL() << "expected InvalidInput";
  } catch (InvalidInput const& error) {
    EXPECT_NE(std::string(error.what()).find("AzureUSGovernment"), std::string::npos);
    EXPECT_EQ(error.exit_code(), ExitCode::InvalidInput);
  }
}

TEST(CloudTest, ParsesTheShapeAzCloudShowPrints) {
  auto cloud = parse_cloud_file("sim.json", R"({"name": "Sim", "endpoints": {
      "resourceManager": "https://127.0.0.1:8443/",
      "activeDirectory": "https://127.0.0.1:8443/adfs",
      "activeDirectoryResourceId": "https://management.core.windows.net/",
      "microsoftGraphResourceId": "https://graph.microsoft.com/"}})");
  EXPECT_EQ(cloud.name, "Sim");
  EXPECT_EQ(cloud.resource_manager, "https://127.0.0.1:8443");
  EXPECT_EQ(cloud.active_directory, "https://127.0.0.1:8443/adfs");
}

TEST(CloudTest, MissingEndpointIsNamed) {
  try {
    (void)parse_cloud_file("c.json", R"({"endpoints": {"resourceManager": "https://a/"}})");
    FAIL() << "expected InvalidInput";
  } catch (InvalidInput const& error) {
    EXPECT_NE(std::string(error.what()).find("endpoints.activeDirectory"), std::string::npos);
  }
}

TEST(CloudTest, PlainHttpEndpointIsRefused) {
  EXPECT_THROW((void)parse_cloud_file("c.json", R"({"endpoints": {
      "resourceManager": "http://127.0.0.1/", "activeDirectory": "https://a",
      "activeDirectoryResourceId": "https://b/", "microsoftGraphResourceId": "https://c/"}})"),
               InvalidInput);
}

} // namespace
} // namespace wisetup::core

namespace wisetup::core {
namespace {

TEST(CloudTest, KeyVaultAudienceOfTheBuiltinClouds) {
  EXPECT_EQ(builtin_cloud("AzureCloud").key_vault_dns_suffix, ".vault.azure.net");
  EXPECT_EQ(key_vault_audience(builtin_cloud("AzureCloud")), "https://vault.azure.net");
  EXPECT_EQ(key_vault_audience(builtin_cloud("AzureUSGovernment")),
            "https://vault.usgovcloudapi.net");
  EXPECT_EQ(key_vault_audience(builtin_cloud("AzureChinaCloud")), "https://vault.azure.cn");
}

TEST(CloudTest, KeyVaultSuffixFromACloudFile) {
  auto const endpoints = std::string(R"("endpoints": {
      "resourceManager": "https://127.0.0.1:8443/",
      "activeDirectory": "https://127.0.0.1:8443/adfs",
      "activeDirectoryResourceId": "https://management.core.windows.net/",
      "microsoftGraphResourceId": "https://graph.microsoft.com/"})");
  auto const with = parse_cloud_file("sim.json",
                                     "{\"name\": \"Sim\", " + endpoints +
                                         R"(, "suffixes": {"keyvaultDns": ".vault.sim.test"}})");
  EXPECT_EQ(with.key_vault_dns_suffix, ".vault.sim.test");
  EXPECT_EQ(key_vault_audience(with), "https://vault.sim.test");

  auto const without = parse_cloud_file("sim.json", "{\"name\": \"Sim\", " + endpoints + "}");
  EXPECT_TRUE(without.key_vault_dns_suffix.empty());
  try {
    (void)key_vault_audience(without);
    FAIL() << "expected InvalidInput";
  } catch (InvalidInput const& error) {
    EXPECT_NE(std::string(error.what()).find("suffixes.keyvaultDns"), std::string::npos);
  }
}

} // namespace
} // namespace wisetup::core
