#include "sim/default_seed.hpp"
#include "sim/seed.hpp"

#include <gtest/gtest.h>

namespace wisetup::sim {
namespace {

std::string const k_base = "https://127.0.0.1:1234";

nlohmann::json minimal_seed() {
  return nlohmann::json::parse(R"({
    "tenantId": "aaaaaaaa-0000-4000-8000-000000000001",
    "servicePrincipals": [{"clientId": "c", "clientSecret": "s",
                           "objectId": "bbbbbbbb-0000-4000-8000-0000000000a1"}],
    "subscriptions": [{"subscriptionId": "00000000-0000-0000-0000-000000000001",
                       "resourceGroups": [{"name": "rg", "location": "East US"}]}]
  })");
}

TEST(SeedTest, DefaultSeedHoldsTheTutorialWorld) {
  State const state = state_from_seed(nlohmann::json::parse(default_seed()), k_base, Seconds{5});
  EXPECT_EQ(state.tenant_id, "aaaaaaaa-0000-4000-8000-000000000001");
  ASSERT_EQ(state.subscriptions.size(), 1u);
  auto const& groups = state.subscriptions.begin()->second.resource_groups;
  EXPECT_EQ(groups.count("myresourcegroup"), 1u);
  EXPECT_EQ(groups.count("identities-rg"), 1u);
  std::string const cluster =
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/myresourcegroup/"
      "providers/microsoft.containerservice/managedclusters/myaksscluster";
  auto const found = state.resources.find(
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/myresourcegroup/"
      "providers/microsoft.containerservice/managedclusters/myakscluster");
  ASSERT_NE(found, state.resources.end());
  EXPECT_EQ(found->second["properties"]["oidcIssuerProfile"]["enabled"], false);
  EXPECT_EQ(state.kubernetes.size(), 3u) << "myAKSCluster, myOidcCluster, myEntraCluster";
  EXPECT_EQ(state.kubernetes.at(found->first).service_accounts.count("kube-system/coredns"), 1u);
  EXPECT_TRUE(state.operations.empty());
  EXPECT_EQ(state.role_assignments.size(), 1u);
  EXPECT_EQ(state.principal_type("cccccccc-0000-4000-8000-000000000003"), "User");
}

TEST(SeedTest, NormalisesAndFillsDefaults) {
  nlohmann::json seed = minimal_seed();
  seed["resources"] = {
      {{"id",
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
        "Microsoft.ManagedIdentity/userAssignedIdentities/id1"}},
      {{"id",
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
        "Microsoft.ContainerService/managedClusters/c1"},
       {"properties", {{"oidcIssuerProfile", {{"enabled", true}}}}}}};
  State const state = state_from_seed(seed, k_base, Seconds{5});
  nlohmann::json const& identity = state.resources.at(
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg/providers/"
      "microsoft.managedidentity/userassignedidentities/id1");
  EXPECT_EQ(identity["location"], "eastus");
  EXPECT_EQ(identity["name"], "id1");
  std::string const principal = identity["properties"]["principalId"];
  EXPECT_EQ(state.principal_type(principal), "ServicePrincipal");
  nlohmann::json const& cluster = state.resources.at(
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg/providers/"
      "microsoft.containerservice/managedclusters/c1");
  std::string const issuer = cluster["properties"]["oidcIssuerProfile"]["issuerURL"];
  EXPECT_EQ(issuer.rfind(k_base + "/oidc/aaaaaaaa-0000-4000-8000-000000000001/", 0), 0u);
  EXPECT_EQ(cluster["properties"]["provisioningState"], "Succeeded");
}

void expect_seed_error(nlohmann::json const& seed, std::string const& mention) {
  try {
    (void)state_from_seed(seed, k_base, Seconds{5});
    ADD_FAILURE() << "no error mentioning " << mention;
  } catch (SeedError const& error) {
    EXPECT_NE(std::string(error.what()).find(mention), std::string::npos) << error.what();
  }
}

TEST(SeedTest, ErrorsNameTheField) {
  nlohmann::json no_tenant = minimal_seed();
  no_tenant.erase("tenantId");
  expect_seed_error(no_tenant, "tenantId");

  nlohmann::json bad_group = minimal_seed();
  bad_group["resources"] = {{{"id",
                              "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/"
                              "other/providers/Microsoft.KeyVault/vaults/v1"}}};
  expect_seed_error(bad_group, "resource group other");

  nlohmann::json orphan = minimal_seed();
  orphan["resources"] = {
      {{"id",
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/"
        "providers/Microsoft.ManagedIdentity/userAssignedIdentities/x/"
        "federatedIdentityCredentials/f"},
       {"properties", {{"issuer", "https://i/"}, {"subject", "s"}, {"audiences", {"a"}}}}}};
  expect_seed_error(orphan, "identity the seed does not list");

  nlohmann::json unknown_type = minimal_seed();
  unknown_type["resources"] = {
      {{"id",
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/"
        "providers/Microsoft.Web/sites/s"}}};
  expect_seed_error(unknown_type, "Microsoft.Web/sites");
}

TEST(SeedTest, DefaultSeedWiresOnePrincipalPerSignInKind) {
  State const state = state_from_seed(nlohmann::json::parse(default_seed()), k_base, Seconds{5});
  ServicePrincipal const* certificate =
      state.principal_by_client_id("bbbbbbbb-0000-4000-8000-000000000004");
  ASSERT_NE(certificate, nullptr);
  ASSERT_EQ(certificate->certificates.size(), 1u);
  EXPECT_TRUE(certificate->client_secret.empty());
  EXPECT_FALSE(certificate->certificates[0]->expired());

  ServicePrincipal const* federated =
      state.principal_by_client_id("bbbbbbbb-0000-4000-8000-000000000005");
  ASSERT_NE(federated, nullptr);
  ASSERT_EQ(federated->federated_credentials.size(), 2u);
  auto const& cluster_credential = federated->federated_credentials[0];
  EXPECT_EQ(cluster_credential.subject, "system:serviceaccount:ci:deployer");
  EXPECT_EQ(cluster_credential.issuer.rfind(k_base + "/oidc/", 0), 0u)
      << "cluster:myOidcCluster resolved to its issuer URL: " << cluster_credential.issuer;
  auto const oidc_cluster = state.resources.at(
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/myresourcegroup/"
      "providers/microsoft.containerservice/managedclusters/myoidccluster");
  EXPECT_EQ(cluster_credential.issuer,
            oidc_cluster["properties"]["oidcIssuerProfile"]["issuerURL"]);
  EXPECT_EQ(federated->federated_credentials[1].issuer, k_base + "/github/");
  EXPECT_EQ(federated->federated_credentials[1].subject, "repo:contoso/app:ref:refs/heads/main");

  ASSERT_EQ(state.users.size(), 1u);
  EXPECT_NE(state.public_client("04b07795-8ddb-461a-bbee-02f9e1bf7b46"), nullptr);
  ASSERT_TRUE(state.managed_identity_host.system_assigned);
  EXPECT_TRUE(state.arm_caller("ffffffff-0000-4000-8000-0000000000a1"));
  EXPECT_TRUE(state.arm_caller("ffffffff-0000-4000-8000-0000000000a1")->denied_actions.empty());
  EXPECT_EQ(state.principal_type("cccccccc-0000-4000-8000-000000000010"), "User");

  auto const entra = state.resources.at(
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/myresourcegroup/"
      "providers/microsoft.containerservice/managedclusters/myentracluster");
  EXPECT_EQ(entra["properties"]["disableLocalAccounts"], true);
  EXPECT_EQ(entra["properties"]["aadProfile"]["enableAzureRBAC"], true);
  EXPECT_EQ(entra["properties"]["oidcIssuerProfile"]["enabled"], false);
}

TEST(SeedTest, SignInFieldsAreChecked) {
  nlohmann::json bad_certificate = minimal_seed();
  bad_certificate["servicePrincipals"][0]["certificates"] = {"not a certificate"};
  expect_seed_error(bad_certificate, "servicePrincipals[0].certificates[0]");

  nlohmann::json disabled_issuer = minimal_seed();
  disabled_issuer["resources"] = {{{"id",
                                    "/subscriptions/00000000-0000-0000-0000-000000000001/"
                                    "resourceGroups/rg/providers/Microsoft.ContainerService/"
                                    "managedClusters/off"}}};
  disabled_issuer["servicePrincipals"][0]["federatedCredentials"] = {
      {{"name", "x"}, {"issuer", "cluster:off"}, {"subject", "s"}, {"audiences", {"a"}}}};
  expect_seed_error(disabled_issuer, "not enabled");

  nlohmann::json no_audience = minimal_seed();
  no_audience["servicePrincipals"][0]["federatedCredentials"] = {
      {{"issuer", "github"}, {"subject", "s"}}};
  expect_seed_error(no_audience, "audiences");

  nlohmann::json unknown_identity = minimal_seed();
  unknown_identity["managedIdentityHost"] = {
      {"userAssigned", {"11111111-0000-4000-8000-000000000000"}}};
  expect_seed_error(unknown_identity, "managedIdentityHost.userAssigned");

  nlohmann::json bad_access = minimal_seed();
  bad_access["managedIdentityAccess"] = {{"not-a-guid", nlohmann::json::object()}};
  expect_seed_error(bad_access, "managedIdentityAccess");

  nlohmann::json bad_user = minimal_seed();
  bad_user["users"] = {{{"objectId", "cccccccc-0000-4000-8000-000000000010"}}};
  expect_seed_error(bad_user, "users[0].userPrincipalName");
}

TEST(SeedTest, IdentitiesGetArmRightsOnlyFromTheSeed) {
  nlohmann::json seed = minimal_seed();
  std::string const identity_id =
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
      "Microsoft.ManagedIdentity/userAssignedIdentities/";
  seed["resources"] = {{{"id", identity_id + "granted"},
                        {"properties",
                         {{"clientId", "11111111-0000-4000-8000-000000000001"},
                          {"principalId", "11111111-0000-4000-8000-0000000000a1"}}}},
                       {{"id", identity_id + "other"},
                        {"properties",
                         {{"clientId", "11111111-0000-4000-8000-000000000002"},
                          {"principalId", "11111111-0000-4000-8000-0000000000a2"}}}}};
  seed["managedIdentityAccess"] = {
      {"11111111-0000-4000-8000-0000000000A1", {{"deniedActions", {"Microsoft.KeyVault/*"}}}}};
  State state = state_from_seed(seed, k_base, Seconds{5});
  auto const granted = state.arm_caller("11111111-0000-4000-8000-0000000000a1");
  ASSERT_TRUE(granted);
  EXPECT_EQ(granted->denied_actions, std::vector<std::string>{"Microsoft.KeyVault/*"});
  auto const other = state.arm_caller("11111111-0000-4000-8000-0000000000a2");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->denied_actions, std::vector<std::string>{"*"}) << "no rights";
  EXPECT_FALSE(state.arm_caller("11111111-0000-4000-8000-0000000000a3"));

  seed["managedIdentityAccess"]["*"] = {{"readerOnly", true}};
  state = state_from_seed(seed, k_base, Seconds{5});
  EXPECT_TRUE(state.arm_caller("11111111-0000-4000-8000-0000000000a2")->reader_only);
}

TEST(SeedTest, StateDumpLeavesSecretsOutAndLoadsBack) {
  State const state = state_from_seed(nlohmann::json::parse(default_seed()), k_base, Seconds{5});
  nlohmann::json const dump = state_to_json(state);
  EXPECT_EQ(dump.dump().find("sim-demo-secret-value"), std::string::npos);
  EXPECT_EQ(dump.dump().find(state.kubernetes.begin()->second.static_token), std::string::npos);
  EXPECT_TRUE(dump["resources"].is_object());
  EXPECT_EQ(dump.dump().find("PRIVATE KEY"), std::string::npos);
  State const reloaded = state_from_seed(dump, k_base, Seconds{5});
  EXPECT_EQ(reloaded.resources.size(), state.resources.size());
  EXPECT_EQ(reloaded.service_principals.at(3).certificates.at(0)->x5t_s256(),
            state.service_principals.at(3).certificates.at(0)->x5t_s256());
  EXPECT_EQ(reloaded.service_principals.at(4).federated_credentials.at(0).issuer,
            state.service_principals.at(4).federated_credentials.at(0).issuer);
  EXPECT_EQ(reloaded.users.size(), 1u);
  EXPECT_EQ(reloaded.public_clients.size(), state.public_clients.size());
  EXPECT_EQ(reloaded.managed_identity_host.user_assigned,
            state.managed_identity_host.user_assigned);
  EXPECT_EQ(reloaded.identity_access.size(), 1u);
  EXPECT_EQ(reloaded.kubernetes.begin()->second.service_accounts.size(),
            state.kubernetes.begin()->second.service_accounts.size());
}

} // namespace
} // namespace wisetup::sim
