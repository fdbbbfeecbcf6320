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

TEST(SeedTest, StateDumpLeavesSecretsOutAndLoadsBack) {
  State const state = state_from_seed(nlohmann::json::parse(default_seed()), k_base, Seconds{5});
  nlohmann::json const dump = state_to_json(state);
  EXPECT_EQ(dump.dump().find("sim-demo-secret-value"), std::string::npos);
  EXPECT_EQ(dump.dump().find(state.kubernetes.begin()->second.static_token), std::string::npos);
  EXPECT_TRUE(dump["resources"].is_object());
  State const reloaded = state_from_seed(dump, k_base, Seconds{5});
  EXPECT_EQ(reloaded.resources.size(), state.resources.size());
  EXPECT_EQ(reloaded.kubernetes.begin()->second.service_accounts.size(),
            state.kubernetes.begin()->second.service_accounts.size());
}

} // namespace
} // namespace wisetup::sim
