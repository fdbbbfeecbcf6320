// ARM calls of az login and az keyvault set-policy without -g (subscription, tenant and resource
// lists) and managed clusters answered in the shape of the api-version asked.
#include "sim_fixture.hpp"

#include <set>

namespace wisetup::sim::testing {
namespace {

class ArmListsTest : public SimFixture {};

std::string encode(std::string const& text) {
  return httplib::detail::encode_query_param(text);
}

TEST_F(ArmListsTest, ListsSubscriptionsAndTenants) {
  Answer const subscriptions = arm("GET", "/subscriptions?api-version=2022-12-01");
  ASSERT_EQ(subscriptions.status, 200) << subscriptions.text;
  ASSERT_EQ(subscriptions.json["value"].size(), 1u);
  auto const& first = subscriptions.json["value"][0];
  EXPECT_EQ(first["subscriptionId"], k_subscription);
  EXPECT_EQ(first["id"], std::string("/subscriptions/") + k_subscription);
  EXPECT_EQ(first["tenantId"], k_tenant);
  EXPECT_EQ(first["state"], "Enabled");
  EXPECT_EQ(subscriptions.json["count"]["value"], 1);
  EXPECT_EQ(arm("GET", "/subscriptions?api-version=2019-11-01").status, 200);
  EXPECT_EQ(arm("GET", "/subscriptions?api-version=2099-01-01").json["error"]["code"],
            "InvalidApiVersionParameter");
  EXPECT_EQ(arm_as("bogus", "GET", "/subscriptions?api-version=2022-12-01").status, 401);

  Answer const tenants = arm("GET", "/tenants?api-version=2022-12-01");
  ASSERT_EQ(tenants.status, 200) << tenants.text;
  EXPECT_EQ(tenants.json["value"][0]["tenantId"], k_tenant);
  EXPECT_EQ(tenants.json["value"][0]["id"], std::string("/tenants/") + k_tenant);
}

TEST_F(ArmListsTest, ListsResourcesByTypeAndName) {
  std::string const base = std::string("/subscriptions/") + k_subscription + "/resources";
  // What the Key Vault SDK's vaults.list() sends (az keyvault set-policy without -g).
  Answer const vaults =
      arm("GET",
          base + "?$filter=" + encode("resourceType eq 'Microsoft.KeyVault/vaults'") +
              "&api-version=2015-11-01");
  ASSERT_EQ(vaults.status, 200) << vaults.text;
  std::set<std::string> names;
  for (auto const& item : vaults.json["value"]) {
    names.insert(item["name"]);
    EXPECT_EQ(item["type"], "Microsoft.KeyVault/vaults");
    EXPECT_NE(item["id"].get<std::string>().find("/resourceGroups/myResourceGroup/"),
              std::string::npos);
  }
  EXPECT_EQ(names, (std::set<std::string>{"keyvault-wi-rbac", "keyvault-workload-id"}));

  Answer const one =
      arm("GET",
          base + "?$filter=" +
              encode("resourceType eq 'microsoft.keyvault/vaults' and name eq 'KEYVAULT-WI-RBAC'") +
              "&api-version=2021-04-01");
  ASSERT_EQ(one.json["value"].size(), 1u) << one.text;
  EXPECT_EQ(one.json["value"][0]["name"], "keyvault-wi-rbac");

  Answer const clusters = arm(
      "GET",
      base + "?$filter=" + encode("resourceType eq 'Microsoft.ContainerService/managedClusters'") +
          "&api-version=2021-04-01");
  EXPECT_EQ(clusters.json["value"].size(), 3u);
  // Paging with $top.
  Answer const paged = arm("GET", base + "?$top=2&api-version=2021-04-01");
  ASSERT_EQ(paged.json["value"].size(), 2u);
  ASSERT_TRUE(paged.json.contains("nextLink"));
  std::string const next = paged.json["nextLink"];
  Answer const rest = arm("GET", next.substr(m_simulator->base_url().size()));
  EXPECT_EQ(rest.status, 200) << rest.text;
  EXPECT_FALSE(rest.json["value"].empty());
  // Federated credentials are child resources: never listed.
  Answer const everything = arm("GET", base + "?api-version=2021-04-01");
  for (auto const& item : everything.json["value"]) {
    EXPECT_EQ(item["id"].get<std::string>().find("federatedIdentityCredentials"),
              std::string::npos);
  }
  Answer const in_group = arm("GET",
                              std::string("/subscriptions/") + k_subscription +
                                  "/resourceGroups/identities-rg/resources?api-version=2021-04-01");
  ASSERT_EQ(in_group.json["value"].size(), 1u) << in_group.text;
  EXPECT_EQ(in_group.json["value"][0]["name"], "wi-setup-runner");

  Answer const unsupported =
      arm("GET", base + "?$filter=" + encode("tagName eq 'x'") + "&api-version=2021-04-01");
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(unsupported.json["error"]["code"], "InvalidFilterInQueryString");
  EXPECT_EQ(
      arm("GET",
          "/subscriptions/00000000-0000-0000-0000-00000000ffff/resources?api-version=2021-04-01")
          .json["error"]["code"],
      "SubscriptionNotFound");
}

TEST_F(ArmListsTest, ListsAreReadsInTheRequestLog) {
  std::string const bearer = token();
  send("POST", "/_sim/requests/clear", "{}", "application/json");
  arm_as(bearer, "GET", "/subscriptions?api-version=2022-12-01");
  arm_as(bearer,
         "GET",
         std::string("/subscriptions/") + k_subscription + "/resources?api-version=2021-04-01");
  auto const log = send("GET", "/_sim/requests").json;
  ASSERT_EQ(log.size(), 2u) << log.dump();
  for (auto const& entry : log) {
    EXPECT_EQ(entry.value("service", ""), "arm");
    EXPECT_EQ(entry.value("status", 0), 200);
    EXPECT_FALSE(entry.value("write", true));
  }
}

class ClusterVersionsTest : public SimFixture {
protected:
  std::string oidc_cluster() {
    return resource_path("myResourceGroup",
                         "Microsoft.ContainerService/managedClusters/myOidcCluster");
  }
};

TEST_F(ClusterVersionsTest, OlderVersionsDoNotShowWorkloadIdentity) {
  Answer const current = arm("GET", oidc_cluster() + "?api-version=2023-02-01");
  ASSERT_EQ(current.status, 200);
  EXPECT_EQ(current.json["properties"]["securityProfile"]["workloadIdentity"]["enabled"], true);
  Answer const old = arm("GET", oidc_cluster() + "?api-version=2023-01-01");
  ASSERT_EQ(old.status, 200);
  EXPECT_FALSE(old.json["properties"]["securityProfile"].contains("workloadIdentity")) << old.text;
  EXPECT_EQ(old.json["properties"]["oidcIssuerProfile"]["enabled"], true);
  EXPECT_FALSE(arm("GET", oidc_cluster() + "?api-version=2022-11-01")
                   .json["properties"]["securityProfile"]
                   .contains("workloadIdentity"));
}

TEST_F(ClusterVersionsTest, PutAtAnOlderVersionKeepsWorkloadIdentity) {
  // Read-modify-write at 2022-11-01: the body cannot carry workloadIdentity.
  nlohmann::json cluster = arm("GET", oidc_cluster() + "?api-version=2022-11-01").json;
  cluster["tags"] = {{"changed", "yes"}};
  Answer const put = arm("PUT", oidc_cluster() + "?api-version=2022-11-01", cluster);
  ASSERT_EQ(put.status, 200) << put.text;
  EXPECT_FALSE(put.json["properties"]["securityProfile"].contains("workloadIdentity"));
  Answer const after =
      poll_arm(oidc_cluster() + "?api-version=2024-09-01", [](Answer const& answer) {
        return answer.json["properties"].value("provisioningState", "") == "Succeeded";
      });
  EXPECT_EQ(after.json["tags"]["changed"], "yes");
  EXPECT_EQ(after.json["properties"]["securityProfile"]["workloadIdentity"]["enabled"], true)
      << after.text;

  // Even a body that tries to switch it off at an old version cannot express that.
  cluster["properties"]["securityProfile"] = {{"workloadIdentity", {{"enabled", false}}}};
  ASSERT_EQ(arm("PUT", oidc_cluster() + "?api-version=2023-01-01", cluster).status, 200);
  Answer const kept =
      poll_arm(oidc_cluster() + "?api-version=2024-09-01", [](Answer const& answer) {
        return answer.json["properties"].value("provisioningState", "") == "Succeeded";
      });
  EXPECT_EQ(kept.json["properties"]["securityProfile"]["workloadIdentity"]["enabled"], true);

  // At 2023-02-01 the same body does switch it off.
  nlohmann::json current = kept.json;
  current["properties"]["securityProfile"]["workloadIdentity"]["enabled"] = false;
  ASSERT_EQ(arm("PUT", oidc_cluster() + "?api-version=2023-02-01", current).status, 200);
  Answer const off = poll_arm(oidc_cluster() + "?api-version=2024-09-01", [](Answer const& answer) {
    return answer.json["properties"].value("provisioningState", "") == "Succeeded";
  });
  EXPECT_EQ(off.json["properties"]["securityProfile"]["workloadIdentity"]["enabled"], false);
}

TEST_F(ClusterVersionsTest, ClustersShowTheMsiServicePrincipalProfile) {
  // az aks show (2.45) fails on a cluster without servicePrincipalProfile; AKS always shows it.
  EXPECT_EQ(arm("GET", oidc_cluster() + "?api-version=2022-11-01")
                .json["properties"]["servicePrincipalProfile"],
            nlohmann::json({{"clientId", "msi"}}));
  nlohmann::json cluster = arm("GET", oidc_cluster() + "?api-version=2024-09-01").json;
  cluster["properties"].erase("servicePrincipalProfile");
  Answer const put = arm("PUT", oidc_cluster() + "?api-version=2024-09-01", cluster);
  ASSERT_EQ(put.status, 200) << put.text;
  EXPECT_EQ(put.json["properties"]["servicePrincipalProfile"]["clientId"], "msi");
}

} // namespace
} // namespace wisetup::sim::testing
