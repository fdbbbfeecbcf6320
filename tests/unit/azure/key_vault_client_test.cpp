#include "arm_fixture.hpp"

#include <wisetup/azure/key_vault_client.hpp>
#include <wisetup/http/service_error.hpp>

namespace wisetup::azure {
namespace {

using json = nlohmann::json;

constexpr char const* k_path =
    "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1";

class KeyVaultTest : public ArmFixture {
protected:
  ResourceRef ref{"sub1", "rg1", "kv1"};
  KeyVaultClient vaults{arm};
};

TEST_F(KeyVaultTest, GetParsesAnAccessPolicyVault) {
  transport->respond_json(200, R"({"id": "/v/kv1", "properties": {
      "tenantId": "tid",
      "accessPolicies": [
        {"tenantId": "tid", "objectId": "o1",
         "permissions": {"secrets": ["get", "list"]}},
        {"tenantId": "tid", "objectId": "o2", "permissions": {}}
      ]}})");

  auto const vault = vaults.get(ref);

  ASSERT_TRUE(vault.has_value());
  EXPECT_EQ(vault->id, "/v/kv1");
  EXPECT_EQ(vault->tenant_id, "tid");
  EXPECT_FALSE(vault->rbac_authorization);
  ASSERT_EQ(vault->access_policies.size(), 2U);
  EXPECT_EQ(vault->access_policies[0].object_id, "o1");
  EXPECT_EQ(vault->access_policies[0].permissions.secrets,
            (std::vector<std::string>{"get", "list"}));
  EXPECT_TRUE(vault->access_policies[0].permissions.keys.empty());
  EXPECT_TRUE(vault->access_policies[1].permissions.certificates.empty());
  EXPECT_EQ(request(0).url, std::string(k_endpoint) + k_path + "?api-version=2023-07-01");
}

TEST_F(KeyVaultTest, GetReadsRbacModeAndMissingVault) {
  transport->respond_json(200, R"({"properties": {"tenantId": "t",
      "enableRbacAuthorization": true, "accessPolicies": []}})");
  transport->respond_json(404, R"({"error": {"code": "ResourceNotFound", "message": "x"}})");
  EXPECT_TRUE(vaults.get(ref)->rbac_authorization);
  EXPECT_FALSE(vaults.get(ref).has_value());
}

TEST_F(KeyVaultTest, AddAccessPolicyPutsOneEntry) {
  transport->respond_json(200, R"({"properties": {"accessPolicies": []}})");
  vaults.add_access_policy(ref, AccessPolicy{"tid", "pid", {{}, {"get"}, {"get"}}});
  EXPECT_EQ(request(0).method, http::Method::Put);
  EXPECT_EQ(request(0).url,
            std::string(k_endpoint) + k_path + "/accessPolicies/add?api-version=2023-07-01");
  EXPECT_EQ(request_json(0), json::parse(R"({"properties": {"accessPolicies": [
      {"tenantId": "tid", "objectId": "pid",
       "permissions": {"keys": [], "secrets": ["get"], "certificates": ["get"]}}]}})"));
}

TEST_F(KeyVaultTest, GetReadsTheVaultUri) {
  transport->respond_json(200, R"({"properties": {"tenantId": "t",
      "vaultUri": "https://kv1.vault.azure.net/"}})");
  transport->respond_json(200, R"({"properties": {"tenantId": "t"}})");
  EXPECT_EQ(vaults.get(ref)->vault_uri, "https://kv1.vault.azure.net/");
  EXPECT_EQ(vaults.get(ref)->vault_uri, "");
}

TEST_F(KeyVaultTest, RemoveAccessPolicyPutsOneEntryToRemove) {
  transport->respond_json(200, R"({"properties": {"accessPolicies": []}})");
  vaults.remove_access_policy(ref, AccessPolicy{"tid", "pid", {{"get"}, {"get", "list"}, {}}});
  EXPECT_EQ(request(0).method, http::Method::Put);
  EXPECT_EQ(request(0).url,
            std::string(k_endpoint) + k_path + "/accessPolicies/remove?api-version=2023-07-01");
  EXPECT_EQ(request_json(0), json::parse(R"({"properties": {"accessPolicies": [
      {"tenantId": "tid", "objectId": "pid",
       "permissions": {"keys": ["get"], "secrets": ["get", "list"], "certificates": []}}]}})"));
}

TEST_F(KeyVaultTest, RemoveAccessPolicyRefusalIsThrown) {
  transport->respond_json(403, R"({"error": {"code": "AuthorizationFailed", "message": "no"}})");
  try {
    vaults.remove_access_policy(ref, AccessPolicy{"tid", "pid", {{}, {"get"}, {}}});
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 403);
    EXPECT_EQ(error.fault().code, "AuthorizationFailed");
    EXPECT_EQ(error.fault().method, "PUT");
  }
}

} // namespace
} // namespace wisetup::azure
