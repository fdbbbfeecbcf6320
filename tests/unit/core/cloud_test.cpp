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
