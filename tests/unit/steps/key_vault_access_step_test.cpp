#include "unit/steps/step_fixture.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/steps/key_vault_access_step.hpp>
#include <wisetup/steps/key_vault_step.hpp>

namespace wisetup::steps {
namespace {

constexpr char const* k_vault_id =
    "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1";

class KeyVaultAccessStepTest : public StepFixture {
protected:
  void SetUp() override {
    set_common_inputs();
    state.set(keys::key_vault, azure::ResourceRef{"s", "g", "kv1"});
    state.set(keys::vault_permissions, azure::VaultPermissions{{"get"}, {"get"}, {"get"}});
  }

  /// The vault as the keyvault step found it.
  void vault(bool rbac, nlohmann::json policies = nlohmann::json::array()) {
    azure::KeyVault found;
    found.id = k_vault_id;
    found.tenant_id = "tenant-1";
    found.rbac_authorization = rbac;
    for (auto const& policy : policies) {
      azure::AccessPolicy entry{policy["tenantId"], policy["objectId"], {}};
      auto const& permissions = policy["permissions"];
      for (auto const& [kind, list] :
           {std::pair{"keys", &entry.permissions.keys},
            std::pair{"secrets", &entry.permissions.secrets},
            std::pair{"certificates", &entry.permissions.certificates}}) {
        if (permissions.contains(kind)) {
          *list = permissions[kind].get<std::vector<std::string>>();
        }
      }
      found.access_policies.push_back(entry);
    }
    state.set(keys::found_key_vault, found);
  }

  KeyVaultAccessStep step{services};
};

TEST_F(KeyVaultAccessStepTest, AddsOnlyTheMissingPermissionsWithTheAddOperation) {
  vault(false,
        {{{"tenantId", "tenant-1"},
          {"objectId", "PRINCIPAL-1"},
          {"permissions", {{"secrets", {"Get", "list"}}}}},
         {{"tenantId", "tenant-1"},
          {"objectId", "someone-else"},
          {"permissions", {{"keys", {"all"}}}}}});
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::Update);
  arm_transport->respond_json(200, R"({"properties": {"accessPolicies": []}})");
  (void)step.apply(state, progress);
  auto const put = writes(*arm_transport).at(0);
  EXPECT_NE(put.url.find("/vaults/kv1/accessPolicies/add?"), std::string::npos);
  auto const body = nlohmann::json::parse(put.body);
  auto const& entry = body["properties"]["accessPolicies"][0];
  EXPECT_EQ(body["properties"]["accessPolicies"].size(), 1U);
  EXPECT_EQ(entry["objectId"], "principal-1");
  EXPECT_EQ(entry["tenantId"], "tenant-1");
  EXPECT_EQ(entry["permissions"]["keys"], nlohmann::json::array({"get"}));
  EXPECT_EQ(entry["permissions"]["certificates"], nlohmann::json::array({"get"}));
  EXPECT_TRUE(!entry["permissions"].contains("secrets") || entry["permissions"]["secrets"].empty());
}

TEST_F(KeyVaultAccessStepTest, PermissionsGrantedInAnotherCasingAreInSync) {
  vault(false,
        {{{"tenantId", "TENANT-1"},
          {"objectId", "principal-1"},
          {"permissions", {{"keys", {"Get"}}, {"secrets", {"GET"}}, {"certificates", {"get"}}}}}});
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::InSync);
  EXPECT_TRUE(state.has(keys::vault_access));
}

TEST_F(KeyVaultAccessStepTest, RbacVaultGetsTheMissingRoleAssignments) {
  vault(true);
  arm_transport->respond_json(
      200,
      nlohmann::json{{"value",
                      {{{"name", "a1"},
                        {"properties",
                         {{"roleDefinitionId",
                           "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/"
                           "4633458b-17de-408a-b874-0445c86b69e6"},
                          {"principalId", "principal-1"},
                          {"scope", k_vault_id}}}}}}}
          .dump());
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Create);
  arm_transport->respond_json(201, "{}");
  arm_transport->respond_json(201, "{}");
  (void)step.apply(state, progress);
  auto const puts = writes(*arm_transport);
  ASSERT_EQ(puts.size(), 2U); // Crypto User and Certificate User; Secrets User exists
  std::set<std::string> roles;
  for (auto const& put : puts) {
    auto const body = nlohmann::json::parse(put.body);
    EXPECT_EQ(body["properties"]["principalType"], "ServicePrincipal");
    EXPECT_EQ(body["properties"]["principalId"], "principal-1");
    roles.insert(body["properties"]["roleDefinitionId"].get<std::string>());
    EXPECT_EQ(put.url.rfind("https://arm.test" + std::string(k_vault_id) +
                                "/providers/Microsoft.Authorization/roleAssignments/",
                            0),
              0U);
  }
  EXPECT_EQ(roles.count("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/"
                        "12338af0-0e69-4776-bea7-57ae8d297424"),
            1U);
  EXPECT_EQ(roles.count("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/"
                        "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba"),
            1U);
}

TEST_F(KeyVaultAccessStepTest, AnAssignmentOnOneSecretDoesNotGrantTheVault) {
  vault(true);
  arm_transport->respond_json(
      200,
      nlohmann::json{{"value",
                      {{{"name", "a1"},
                        {"properties",
                         {{"roleDefinitionId",
                           "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/"
                           "4633458b-17de-408a-b874-0445c86b69e6"},
                          {"principalId", "principal-1"},
                          {"scope", std::string(k_vault_id) + "/secrets/one-secret"}}}}}}}
          .dump());
  EXPECT_EQ(
      step.observe(state, progress).detail,
      "will assign Key Vault Crypto User, Key Vault Secrets User, Key Vault Certificate User");
}

TEST_F(KeyVaultAccessStepTest, MissingVaultNamesTheFlagsBeforeAnythingElse) {
  arm_transport->respond_json(404, R"({"error": {"code": "ResourceNotFound", "message": "nope"}})");
  KeyVaultStep lookup{services};
  try {
    (void)lookup.observe(state, progress);
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    EXPECT_NE(std::string(error.what()).find("--keyvault"), std::string::npos);
  }
}

TEST_F(KeyVaultAccessStepTest, MissingResourceGroupIsAnErrorNotAMissingVault) {
  arm_transport->respond_json(404,
                              R"({"error": {"code": "ResourceGroupNotFound", "message": "no"}})");
  KeyVaultStep lookup{services};
  EXPECT_THROW((void)lookup.observe(state, progress), http::ServiceError);
}

} // namespace
} // namespace wisetup::steps
