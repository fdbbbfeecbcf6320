// disable's steps: only what is ours goes, and the identity stays while others use it.
#include "unit/steps/step_fixture.hpp"

#include <wisetup/steps/remove_federated_credential_step.hpp>
#include <wisetup/steps/remove_identity_step.hpp>
#include <wisetup/steps/revoke_vault_access_step.hpp>

namespace wisetup::steps {
namespace disable_steps_test {

nlohmann::json
credential(std::string const& name, std::string const& issuer, std::string const& subject) {
  return {
      {"name", name},
      {"properties",
       {{"issuer", issuer}, {"subject", subject}, {"audiences", {"api://AzureADTokenExchange"}}}}};
}

nlohmann::json identity_json() {
  return {{"id",
           "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/"
           "userAssignedIdentities/id1"},
          {"name", "id1"},
          {"location", "eastus"},
          {"properties",
           {{"clientId", "client-1"}, {"principalId", "principal-1"}, {"tenantId", "tenant-1"}}}};
}

class DisableStepsTest : public StepFixture {
protected:
  void SetUp() override { set_common_inputs(); }
};

TEST_F(DisableStepsTest, OurCredentialGoesAndAnotherWorkloadsStays) {
  RemoveFederatedCredentialStep step{services};
  arm_transport->respond_json(200, identity_json().dump());
  arm_transport->respond_json(404, R"({"error":{"code":"ResourceNotFound","message":"gone"}})");
  arm_transport->respond_json(
      200,
      nlohmann::json{
          {"value",
           {credential("apps-web", "https://issuer.test/", "system:serviceaccount:apps:web"),
            credential("apps-web-2", "https://other.test/", "system:serviceaccount:apps:other")}}}
          .dump());
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Delete);
  ASSERT_EQ(state.get(keys::other_credentials).size(), 1U);
  EXPECT_EQ(state.get(keys::other_credentials)[0].name, "apps-web-2");

  arm_transport->respond(200);
  (void)step.apply(state, progress);
  auto const deletes = writes(*arm_transport);
  ASSERT_EQ(deletes.size(), 1U);
  EXPECT_EQ(deletes[0].method, http::Method::Delete);
  EXPECT_NE(deletes[0].url.find("/federatedIdentityCredentials/apps-web?"), std::string::npos);
}

TEST_F(DisableStepsTest, OurNameFederatingAnotherSubjectIsNotOurs) {
  RemoveFederatedCredentialStep step{services};
  arm_transport->respond_json(200, identity_json().dump());
  arm_transport->respond_json(404, R"({"error":{"code":"ResourceNotFound","message":"gone"}})");
  arm_transport->respond_json(
      200,
      nlohmann::json{
          {"value", {credential("apps-web", "https://issuer.test/", "system:serviceaccount:x:y")}}}
          .dump());
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::InSync);
  EXPECT_TRUE(writes(*arm_transport).empty());
}

TEST_F(DisableStepsTest, IdentityWithOtherCredentialsIsKept) {
  RemoveIdentityStep step{services, false, false};
  state.set(keys::found_identity, std::optional<azure::UserAssignedIdentity>{identity});
  state.set(keys::other_credentials,
            std::vector<azure::FederatedCredential>{
                {"other", "https://issuer.test/", "system:serviceaccount:a:b", {}}});
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::InSync);
  EXPECT_NE(observation.detail.find("other (system:serviceaccount:a:b)"), std::string::npos);
}

TEST_F(DisableStepsTest, IdentityIsDeletedUnlessKept) {
  state.set(keys::found_identity, std::optional<azure::UserAssignedIdentity>{identity});
  state.set(keys::other_credentials, std::vector<azure::FederatedCredential>{});
  RemoveIdentityStep kept{services, true, false};
  EXPECT_EQ(kept.observe(state, progress).drift, workflow::Drift::InSync);

  RemoveIdentityStep step{services, false, false};
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::Delete);
  arm_transport->respond(200);
  (void)step.apply(state, progress);
  auto const deletes = writes(*arm_transport);
  ASSERT_EQ(deletes.size(), 1U);
  EXPECT_NE(deletes[0].url.find("/userAssignedIdentities/id1?"), std::string::npos);
}

TEST_F(DisableStepsTest, OnlyThePermissionsEnableGrantsAreTakenBack) {
  RevokeVaultAccessStep step{services};
  state.set(keys::key_vault, azure::ResourceRef{"s", "g", "kv"});
  state.set(keys::vault_permissions, azure::VaultPermissions{{}, {"get"}, {}});
  state.set(keys::found_identity, std::optional<azure::UserAssignedIdentity>{identity});
  state.set(keys::other_credentials, std::vector<azure::FederatedCredential>{});
  nlohmann::json const vault = {
      {"id", "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv"},
      {"properties",
       {{"tenantId", "tenant-1"},
        {"accessPolicies",
         {{{"tenantId", "tenant-1"},
           {"objectId", "principal-1"},
           {"permissions", {{"secrets", {"Get", "List"}}}}},
          {{"tenantId", "tenant-1"},
           {"objectId", "someone-else"},
           {"permissions", {{"secrets", {"get"}}}}}}}}}};
  arm_transport->respond_json(200, vault.dump());
  auto const observation = step.observe(state, progress);
  ASSERT_EQ(observation.drift, workflow::Drift::Delete);
  arm_transport->respond_json(200, vault.dump());
  (void)step.apply(state, progress);
  auto const removal = writes(*arm_transport).at(0);
  EXPECT_NE(removal.url.find("/accessPolicies/remove?"), std::string::npos);
  auto const body = nlohmann::json::parse(removal.body);
  auto const& entry = body["properties"]["accessPolicies"][0];
  EXPECT_EQ(entry["objectId"], "principal-1");
  EXPECT_EQ(entry["permissions"]["secrets"], nlohmann::json::array({"Get"})); // not List
}

TEST_F(DisableStepsTest, VaultGrantsStayWhileOtherWorkloadsFederateTheIdentity) {
  RevokeVaultAccessStep step{services};
  state.set(keys::key_vault, azure::ResourceRef{"s", "g", "kv"});
  state.set(keys::vault_permissions, azure::VaultPermissions{{}, {"get"}, {}});
  state.set(keys::found_identity, std::optional<azure::UserAssignedIdentity>{identity});
  state.set(keys::other_credentials,
            std::vector<azure::FederatedCredential>{
                {"other", "https://issuer.test/", "system:serviceaccount:a:b", {}}});
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::InSync);
  EXPECT_TRUE(arm_transport->requests().empty());
}

} // namespace disable_steps_test
} // namespace wisetup::steps
