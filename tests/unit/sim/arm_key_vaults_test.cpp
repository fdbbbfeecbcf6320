#include "sim_fixture.hpp"

namespace wisetup::sim::testing {
namespace arm_key_vaults_test {

std::string const k_version = "?api-version=2023-07-01";
std::string const k_alice = "cccccccc-0000-4000-8000-000000000001";
std::string const k_ops = "cccccccc-0000-4000-8000-000000000002";
std::string const k_new = "eeeeeeee-1111-4000-8000-000000000001";

class ArmKeyVaultsTest : public SimFixture {
protected:
  static nlohmann::json policy(std::string const& object_id, nlohmann::json permissions) {
    return {
        {"tenantId", k_tenant}, {"objectId", object_id}, {"permissions", std::move(permissions)}};
  }

  Answer change(std::string const& operation, nlohmann::json policies) {
    return arm("PUT",
               vault_path("keyvault-workload-id") + "/accessPolicies/" + operation + k_version,
               {{"properties", {{"accessPolicies", std::move(policies)}}}});
  }

  nlohmann::json policies() {
    return arm("GET", vault_path("keyvault-workload-id") + k_version)
        .json["properties"]["accessPolicies"];
  }

  nlohmann::json entry_for(std::string const& object_id) {
    for (auto const& entry : policies()) {
      if (entry["objectId"] == object_id) {
        return entry;
      }
    }
    return nullptr;
  }
};

TEST_F(ArmKeyVaultsTest, GetShowsModeAndOtherPrincipalsPolicies) {
  Answer const vault = arm("GET", vault_path("keyvault-workload-id") + k_version);
  ASSERT_EQ(vault.status, 200) << vault.text;
  EXPECT_EQ(vault.json["properties"]["enableRbacAuthorization"], false);
  EXPECT_EQ(vault.json["properties"]["tenantId"], k_tenant);
  // The data plane is the simulator's: {base_url}/keyvault/{name}/, whatever the seed wrote.
  EXPECT_EQ(vault.json["properties"]["vaultUri"],
            m_simulator->base_url() + "/keyvault/keyvault-workload-id/");
  EXPECT_EQ(vault.json["properties"]["accessPolicies"].size(), 2u);
  EXPECT_EQ(arm("GET", vault_path("keyvault-wi-rbac") + k_version)
                .json["properties"]["enableRbacAuthorization"],
            true);
}

TEST_F(ArmKeyVaultsTest, AddAppendsANewPrincipalAndKeepsTheOthers) {
  Answer const answer =
      change("add", {policy(k_new, {{"secrets", {"get"}}, {"certificates", {"get"}}})});
  ASSERT_EQ(answer.status, 200) << answer.text;
  EXPECT_EQ(answer.json["name"], "add");
  EXPECT_EQ(answer.json["type"], "Microsoft.KeyVault/vaults/accessPolicies");
  EXPECT_EQ(answer.json["properties"]["accessPolicies"][0]["objectId"], k_new);
  nlohmann::json const all = policies();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]["objectId"], k_alice);
  EXPECT_EQ(all[1]["objectId"], k_ops);
  EXPECT_EQ(entry_for(k_new)["permissions"]["secrets"], nlohmann::json({"get"}));
}

TEST_F(ArmKeyVaultsTest, AddMergesCaseInsensitivelyKeepingStoredCasing) {
  ASSERT_EQ(
      change("add", {policy(k_ops, {{"secrets", {"GET", "List"}}, {"keys", {"wrapkey"}}})}).status,
      200);
  nlohmann::json const entry = entry_for(k_ops);
  EXPECT_EQ(entry["permissions"]["secrets"], nlohmann::json({"get", "List"}));
  EXPECT_EQ(entry["permissions"]["keys"], nlohmann::json({"wrapkey"}));
  EXPECT_EQ(policies().size(), 2u);
}

TEST_F(ArmKeyVaultsTest, RemoveSubtractsAndDropsAnEmptiedEntry) {
  ASSERT_EQ(change("remove", {policy(k_alice, {{"secrets", {"set", "delete"}}})}).status, 200);
  EXPECT_EQ(entry_for(k_alice)["permissions"]["secrets"], nlohmann::json({"get", "list"}));
  ASSERT_EQ(change("remove", {policy(k_ops, {{"secrets", {"get"}}})}).status, 200);
  EXPECT_TRUE(entry_for(k_ops).is_null());
  EXPECT_EQ(policies().size(), 1u);
}

TEST_F(ArmKeyVaultsTest, ReplaceSetsExactly) {
  ASSERT_EQ(change("replace", {policy(k_alice, {{"keys", {"get"}}})}).status, 200);
  EXPECT_EQ(entry_for(k_alice)["permissions"], nlohmann::json({{"keys", {"get"}}}));
}

TEST_F(ArmKeyVaultsTest, ValidationRejectsBadEntries) {
  EXPECT_EQ(change("add", {policy("not-a-guid", {{"secrets", {"get"}}})}).status, 400);
  EXPECT_EQ(change("add", {policy(k_new, {{"secrets", {"fly"}}})}).status, 400);
  EXPECT_EQ(change("add", {policy(k_new, {{"widgets", {"get"}}})}).status, 400);
  EXPECT_EQ(change("add", nlohmann::json::array()).status, 400);
  nlohmann::json seventeen = nlohmann::json::array();
  for (int i = 0; i < 17; ++i) {
    seventeen.push_back(policy(k_new, {{"secrets", {"get"}}}));
  }
  EXPECT_EQ(change("add", seventeen).status, 400);
  EXPECT_EQ(change("merge", {policy(k_new, {{"secrets", {"get"}}})}).status, 400);
  EXPECT_EQ(policies().size(), 2u) << "nothing changed";
}

TEST_F(ArmKeyVaultsTest, VaultPutReplacesAccessPoliciesWholesale) {
  nlohmann::json vault = arm("GET", vault_path("keyvault-workload-id") + k_version).json;
  vault["properties"]["accessPolicies"] = {policy(k_new, {{"secrets", {"get"}}})};
  Answer const put = arm("PUT", vault_path("keyvault-workload-id") + k_version, vault);
  ASSERT_EQ(put.status, 200) << put.text;
  ASSERT_EQ(policies().size(), 1u);
  EXPECT_TRUE(entry_for(k_alice).is_null()) << "a whole-vault PUT wipes other principals";
}

} // namespace arm_key_vaults_test
} // namespace wisetup::sim::testing
