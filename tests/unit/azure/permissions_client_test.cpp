#include "arm_fixture.hpp"

#include <wisetup/azure/permissions_client.hpp>
#include <wisetup/http/service_error.hpp>

namespace wisetup::azure {
namespace {

constexpr char const* k_scope = "/subscriptions/sub1/resourceGroups/rg1";

TEST(ActionMatchTest, WildcardsAndCaseAsArmMatchesThem) {
  EXPECT_TRUE(action_matches("*", "Microsoft.KeyVault/vaults/read"));
  EXPECT_TRUE(action_matches("*/read", "Microsoft.KeyVault/vaults/read"));
  EXPECT_FALSE(action_matches("*/read", "Microsoft.KeyVault/vaults/write"));
  EXPECT_TRUE(
      action_matches("microsoft.keyvault/*", "Microsoft.KeyVault/vaults/accessPolicies/write"));
  EXPECT_TRUE(action_matches("Microsoft.ManagedIdentity/userAssignedIdentities/*/write",
                             "Microsoft.ManagedIdentity/userAssignedIdentities/"
                             "federatedIdentityCredentials/write"));
  EXPECT_FALSE(action_matches("Microsoft.ManagedIdentity/userAssignedIdentities/write",
                              "Microsoft.ManagedIdentity/userAssignedIdentities/"
                              "federatedIdentityCredentials/write"));
  EXPECT_FALSE(action_matches("", "x"));
}

TEST(ActionMatchTest, ANotActionTakesAwayOnlyWhatItsOwnEntryGrants) {
  std::vector<Permission> const contributor_without_writes{{{"*"}, {"*/write"}}};
  EXPECT_FALSE(allows(contributor_without_writes, "Microsoft.KeyVault/vaults/write"));
  EXPECT_TRUE(allows(contributor_without_writes, "Microsoft.KeyVault/vaults/read"));
  // Another role that grants the write gives it back.
  auto with_vault_writer = contributor_without_writes;
  with_vault_writer.push_back({{"Microsoft.KeyVault/vaults/write"}, {}});
  EXPECT_TRUE(allows(with_vault_writer, "Microsoft.KeyVault/vaults/write"));
  EXPECT_FALSE(allows({}, "Microsoft.KeyVault/vaults/read"));
}

class PermissionsClientTest : public ArmFixture {
protected:
  PermissionsClient permissions{arm};
};

TEST_F(PermissionsClientTest, ReadsEveryEntryAcrossPages) {
  auto const next = std::string(k_endpoint) + k_scope +
                    "/providers/Microsoft.Authorization/permissions?$skiptoken=2";
  transport->respond_json(
      200,
      nlohmann::json{
          {"value", {{{"actions", {"*/read"}}, {"notActions", nlohmann::json::array()}}}},
          {"nextLink", next}}
          .dump());
  transport->respond_json(
      200,
      R"({"value": [{"actions": ["Microsoft.ManagedIdentity/*"], "notActions": ["*/delete"]}]})");

  auto const found = permissions.effective(k_scope);

  ASSERT_EQ(found.size(), 2U);
  EXPECT_EQ(found[0].actions, std::vector<std::string>{"*/read"});
  EXPECT_EQ(found[1].not_actions, std::vector<std::string>{"*/delete"});
  EXPECT_EQ(request(0).url,
            std::string(k_endpoint) + k_scope +
                "/providers/Microsoft.Authorization/permissions?api-version=2022-04-01");
  EXPECT_EQ(request(1).url, next);
  EXPECT_TRUE(allows(found, "Microsoft.ManagedIdentity/userAssignedIdentities/write"));
  EXPECT_FALSE(allows(found, "Microsoft.ManagedIdentity/userAssignedIdentities/delete"));
}

TEST_F(PermissionsClientTest, ARefusalIsAServiceError) {
  transport->respond_json(404, R"({"error": {"code": "ResourceGroupNotFound", "message": "no"}})");
  EXPECT_THROW((void)permissions.effective(k_scope), http::ServiceError);
}

} // namespace
} // namespace wisetup::azure
