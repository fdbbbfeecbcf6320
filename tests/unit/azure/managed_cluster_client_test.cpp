#include "arm_fixture.hpp"

#include <wisetup/azure/managed_cluster_client.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/base64.hpp>
#include <wisetup/http/service_error.hpp>

namespace wisetup::azure {
namespace managed_cluster_client_test {

using namespace std::chrono_literals;
using json = nlohmann::json;
using ms = std::chrono::milliseconds;

constexpr char const* k_path =
    "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.ContainerService/"
    "managedClusters/aks1";

json cluster_resource(std::string const& state = "Succeeded", bool enabled = false) {
  return json::parse(R"({
    "id": "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1",
    "name": "aks1",
    "type": "Microsoft.ContainerService/ManagedClusters",
    "location": "eastus",
    "eTag": "etag-1",
    "tags": {"env": "dev"},
    "sku": {"name": "Base", "tier": "Free"},
    "systemData": {"createdBy": "someone"},
    "identity": {
      "type": "UserAssigned", "principalId": "p", "tenantId": "t",
      "userAssignedIdentities": {"/subscriptions/sub1/x/id": {"principalId": "p2", "clientId": "c2"}}
    },
    "properties": {
      "provisioningState": "Succeeded",
      "powerState": {"code": "Running"},
      "maxAgentPools": 100,
      "kubernetesVersion": "1.30",
      "currentKubernetesVersion": "1.30.4",
      "dnsPrefix": "aks1",
      "fqdn": "aks1.hcp.eastus.azmk8s.io",
      "azurePortalFQDN": "aks1.portal.hcp.eastus.azmk8s.io",
      "privateFQDN": "aks1.private",
      "resourceUID": "uid",
      "agentPoolProfiles": [{
        "name": "nodepool1", "count": 3, "vmSize": "Standard_DS2_v2", "mode": "System",
        "provisioningState": "Succeeded", "powerState": {"code": "Running"},
        "currentOrchestratorVersion": "1.30.4", "nodeImageVersion": "img", "eTag": "pool-etag",
        "orchestratorVersion": "1.30"
      }],
      "servicePrincipalProfile": {"clientId": "msi", "secret": "should-not-be-sent"},
      "addonProfiles": {"azurepolicy": {"enabled": true, "config": null}},
      "networkProfile": {"networkPlugin": "azure", "serviceCidr": "10.0.0.0/16"},
      "oidcIssuerProfile": {"enabled": false},
      "securityProfile": {"defender": {"logAnalyticsWorkspaceResourceId": "/w"}}
    }
  })")
      .patch(
          json::parse(R"([{"op": "replace", "path": "/properties/provisioningState", "value": ")" +
                      state + R"("}])"))
      .patch(enabled ? json::parse(R"([
          {"op": "replace", "path": "/properties/oidcIssuerProfile",
           "value": {"enabled": true, "issuerURL": "https://eastus.oic.prod-aks.azure.com/t/g/"}},
          {"op": "add", "path": "/properties/securityProfile/workloadIdentity",
           "value": {"enabled": true}}])")
                     : json::array());
}

std::string base64(std::string const& text) {
  return http::base64_encode(text);
}

class ManagedClusterTest : public ArmFixture {
protected:
  ResourceRef ref{"sub1", "rg1", "aks1"};
  LongRunningOperation lro{arm, clock, quick_polls()};
  ManagedClusterClient clusters{arm, lro};
  std::vector<std::string> statuses;
  ProgressCallback progress = [this](std::string_view status, ms) {
    statuses.emplace_back(status);
  };
};

TEST_F(ManagedClusterTest, FromJsonReadsTheWireCasing) {
  auto const cluster = ManagedCluster::from_json(cluster_resource("Updating", true));
  EXPECT_EQ(cluster.etag, "etag-1");
  EXPECT_EQ(cluster.location, "eastus");
  EXPECT_EQ(cluster.provisioning_state, "Updating");
  EXPECT_EQ(cluster.power_state, "Running");
  EXPECT_TRUE(cluster.oidc_issuer_enabled);
  EXPECT_TRUE(cluster.workload_identity_enabled);
  EXPECT_EQ(cluster.issuer_url, "https://eastus.oic.prod-aks.azure.com/t/g/");
  EXPECT_EQ(cluster.resource["name"], "aks1");

  // The CLI's rendering "issuerUrl" is not the wire name.
  auto const cli_cased = ManagedCluster::from_json(
      json::parse(R"({"properties": {"oidcIssuerProfile": {"enabled": true, "issuerUrl": "x"}}})"));
  EXPECT_EQ(cli_cased.issuer_url, "");
  EXPECT_FALSE(cli_cased.workload_identity_enabled);
  EXPECT_THROW((void)ManagedCluster::from_json(json::array()), core::InvalidInput);
}

TEST_F(ManagedClusterTest, BusyUnlessTerminalIgnoringCase) {
  auto const state = [](std::string const& value) {
    ManagedCluster cluster;
    cluster.provisioning_state = value;
    return cluster.busy();
  };
  EXPECT_TRUE(state("Updating"));
  EXPECT_TRUE(state("Upgrading"));
  EXPECT_FALSE(state("Succeeded"));
  EXPECT_FALSE(state("succeeded"));
  EXPECT_FALSE(state("Failed"));
  EXPECT_FALSE(state("CANCELED"));
}

TEST_F(ManagedClusterTest, EnabledBodyKeepsWritablePropertiesAndStripsReadOnlyOnes) {
  auto const body = ManagedClusterClient::enabled_body(cluster_resource());

  for (auto const* name : {"id", "name", "type", "systemData", "eTag"}) {
    EXPECT_FALSE(body.contains(name)) << name;
  }
  auto const& properties = body["properties"];
  for (auto const* name : {"provisioningState",
                           "powerState",
                           "maxAgentPools",
                           "fqdn",
                           "privateFQDN",
                           "azurePortalFQDN",
                           "currentKubernetesVersion",
                           "resourceUID"}) {
    EXPECT_FALSE(properties.contains(name)) << name;
  }
  EXPECT_EQ(body["location"], "eastus");
  EXPECT_EQ(body["tags"], (json{{"env", "dev"}}));
  EXPECT_EQ(body["sku"]["tier"], "Free");
  EXPECT_EQ(body["identity"], json::parse(R"({"type": "UserAssigned",
                            "userAssignedIdentities": {"/subscriptions/sub1/x/id": {}}})"));
  EXPECT_EQ(properties["kubernetesVersion"], "1.30");
  EXPECT_EQ(properties["dnsPrefix"], "aks1");
  EXPECT_EQ(properties["addonProfiles"], cluster_resource()["properties"]["addonProfiles"]);
  EXPECT_EQ(properties["networkProfile"], cluster_resource()["properties"]["networkProfile"]);
  EXPECT_EQ(properties["servicePrincipalProfile"], (json{{"clientId", "msi"}}));
  EXPECT_EQ(properties["agentPoolProfiles"],
            json::parse(R"([{"name": "nodepool1", "count": 3, "vmSize": "Standard_DS2_v2",
                             "mode": "System", "powerState": {"code": "Running"},
                             "orchestratorVersion": "1.30"}])"));
  EXPECT_EQ(properties["oidcIssuerProfile"], (json{{"enabled", true}}));
  EXPECT_EQ(properties["securityProfile"],
            json::parse(R"({"defender": {"logAnalyticsWorkspaceResourceId": "/w"},
                            "workloadIdentity": {"enabled": true}})"));
}

TEST_F(ManagedClusterTest, EnabledBodyDropsTheIssuerUrlAndCreatesMissingProfiles) {
  auto const enabled = ManagedClusterClient::enabled_body(cluster_resource("Succeeded", true));
  EXPECT_EQ(enabled["properties"]["oidcIssuerProfile"], (json{{"enabled", true}}));
  auto const bare = ManagedClusterClient::enabled_body(
      json{{"location", "x"}, {"properties", {{"securityProfile", nullptr}}}});
  EXPECT_EQ(bare, json::parse(R"({"location": "x", "properties": {
                  "oidcIssuerProfile": {"enabled": true},
                  "securityProfile": {"workloadIdentity": {"enabled": true}}}})"));
}

TEST_F(ManagedClusterTest, GetNamesTheMissingCluster) {
  transport->respond_json(404,
                          R"({"error": {"code": "ResourceNotFound", "message": "not found"}})",
                          headers({{"x-ms-request-id", "r404"}}));
  try {
    (void)clusters.get(ref);
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 404);
    EXPECT_EQ(error.fault().code, "ResourceNotFound");
    EXPECT_EQ(std::string(error.what()),
              "AKS cluster aks1 not found in resource group rg1 of subscription sub1; check "
              "--cluster, --resource-group and --subscription (request id r404).");
  }
  EXPECT_EQ(request(0).url, std::string(k_endpoint) + k_path + "?api-version=2024-09-01");
}

TEST_F(ManagedClusterTest, GetExplainsAMissingResourceGroup) {
  transport->respond_json(404, R"({"error": {"code": "ResourceGroupNotFound", "message": "x"}})");
  try {
    (void)clusters.get(ref);
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().code, "ResourceGroupNotFound");
    EXPECT_NE(std::string(error.what())
                  .find("AKS cluster aks1 not found in resource group rg1 of subscription sub1: "
                        "resource group rg1 does not exist in subscription sub1"),
              std::string::npos)
        << error.what();
  }
}

TEST_F(ManagedClusterTest, EnablePutsWithIfMatchFollowsTheOperationAndReadsBack) {
  auto const monitor = std::string("https://arm.test/subscriptions/sub1/operations/op1");
  transport->respond_json(200,
                          cluster_resource("Updating").dump(),
                          headers({{"Azure-AsyncOperation", monitor}, {"Retry-After", "10"}}));
  transport->respond_json(200, R"({"status": "InProgress"})");
  transport->respond_json(200, R"({"status": "Succeeded"})");
  transport->respond_json(200, cluster_resource("Succeeded", true).dump());

  auto const current = ManagedCluster::from_json(cluster_resource());
  auto const updated = clusters.enable_workload_identity(ref, current, progress);

  EXPECT_EQ(updated.issuer_url, "https://eastus.oic.prod-aks.azure.com/t/g/");
  ASSERT_EQ(transport->requests().size(), 4U);
  auto const put = request(0);
  EXPECT_EQ(put.method, http::Method::Put);
  EXPECT_EQ(put.url, std::string(k_endpoint) + k_path + "?api-version=2024-09-01");
  EXPECT_EQ(put.headers.get("If-Match"), "etag-1");
  EXPECT_EQ(json::parse(put.body), ManagedClusterClient::enabled_body(current.resource));
  EXPECT_EQ(request(1).url, monitor);
  EXPECT_EQ(request(3).method, http::Method::Get);
  EXPECT_EQ(clock->sleeps(), (std::vector<ms>{10s, 500ms}));
  EXPECT_EQ(statuses, (std::vector<std::string>{"InProgress", "Succeeded"}));
}

TEST_F(ManagedClusterTest, NoIfMatchWithoutEtag) {
  transport->respond_json(200, cluster_resource("Succeeded", true).dump());
  transport->respond_json(200, cluster_resource("Succeeded", true).dump());
  auto resource = cluster_resource();
  resource.erase("eTag");
  (void)clusters.enable_workload_identity(ref, ManagedCluster::from_json(resource), progress);
  EXPECT_FALSE(request(0).headers.contains("If-Match"));
}

TEST_F(ManagedClusterTest, PreconditionFailedRereadsAndFindsTheOtherWriterEnabledIt) {
  transport->respond_json(412, R"({"error": {"code": "PreconditionFailed", "message": "etag"}})");
  transport->respond_json(200, cluster_resource("Succeeded", true).dump());
  auto const result = clusters.enable_workload_identity(
      ref, ManagedCluster::from_json(cluster_resource()), progress);
  EXPECT_TRUE(result.oidc_issuer_enabled);
  EXPECT_EQ(transport->requests().size(), 2U); // the PUT and one fresh GET, no second PUT
}

TEST_F(ManagedClusterTest, AClusterThatKeepsChangingGivesUpAfterThreeWrites) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    transport->respond_json(412, R"({"error": {"code": "PreconditionFailed", "message": "etag"}})");
    if (attempt < 2) {
      transport->respond_json(200, cluster_resource().dump());
    }
  }
  try {
    (void)clusters.enable_workload_identity(
        ref, ManagedCluster::from_json(cluster_resource()), progress);
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 412);
    EXPECT_NE(std::string(error.what()).find("kept changing"), std::string::npos);
  }
}

TEST_F(ManagedClusterTest, OperationNotAllowedWaitsThenRetriesOnceFromAFreshRead) {
  transport->respond_json(
      409, R"({"error": {"code": "OperationNotAllowed", "message": "Another operation"}})");
  auto busy = cluster_resource("Upgrading");
  busy["eTag"] = "etag-2";
  transport->respond_json(200, busy.dump());
  auto idle = cluster_resource("Succeeded");
  idle["eTag"] = "etag-3";
  transport->respond_json(200, idle.dump());
  transport->respond_json(200, cluster_resource("Succeeded", true).dump()); // PUT, synchronous
  transport->respond_json(200, cluster_resource("Succeeded", true).dump()); // read back

  auto const updated = clusters.enable_workload_identity(
      ref, ManagedCluster::from_json(cluster_resource()), progress);

  EXPECT_TRUE(updated.workload_identity_enabled);
  ASSERT_EQ(transport->requests().size(), 5U);
  EXPECT_EQ(request(0).headers.get("If-Match"), "etag-1");
  EXPECT_EQ(request(1).method, http::Method::Get);
  EXPECT_EQ(request(2).method, http::Method::Get);
  EXPECT_EQ(request(3).method, http::Method::Put);
  EXPECT_EQ(request(3).headers.get("If-Match"), "etag-3");
  EXPECT_EQ(clock->sleeps(), (std::vector<ms>{500ms}));
}

TEST_F(ManagedClusterTest, ThirdOperationNotAllowedIsThrown) {
  for (int i = 0; i < 3; ++i) {
    transport->respond_json(409, R"({"error": {"code": "OperationNotAllowed", "message": "x"}})");
    if (i < 2) {
      transport->respond_json(200, cluster_resource("Succeeded").dump());
    }
  }
  EXPECT_THROW((void)clusters.enable_workload_identity(
                   ref, ManagedCluster::from_json(cluster_resource()), progress),
               http::ServiceError);
  EXPECT_EQ(transport->pending(), 0U);
}

TEST_F(ManagedClusterTest, WaitUntilIdlePollsEveryHalfSecondAtFirst) {
  transport->respond_json(200, cluster_resource("Updating").dump());
  transport->respond_json(200, cluster_resource("Updating").dump());
  transport->respond_json(200, cluster_resource("Updating").dump());
  transport->respond_json(200, cluster_resource("Succeeded").dump());

  auto const idle = clusters.wait_until_idle(ref, progress);

  EXPECT_FALSE(idle.busy());
  EXPECT_EQ(clock->sleeps(), (std::vector<ms>{500ms, 500ms, 500ms}));
  EXPECT_EQ(statuses, (std::vector<std::string>{"Updating", "Updating", "Succeeded"}));
}

TEST_F(ManagedClusterTest, WaitUntilIdleTimesOut) {
  LroOptions impatient_options;
  impatient_options.initial_interval = 1s;
  impatient_options.max_interval = 1s;
  impatient_options.timeout = 2s;
  LongRunningOperation const short_lro{arm, clock, impatient_options};
  ManagedClusterClient const impatient{arm, short_lro};
  for (int i = 0; i < 3; ++i) {
    transport->respond_json(200, cluster_resource("Updating").dump());
  }
  EXPECT_THROW((void)impatient.wait_until_idle(ref, nullptr), core::TimeoutError);
}

TEST_F(ManagedClusterTest, UserKubeconfigIsDecoded) {
  auto const yaml = std::string("apiVersion: v1\nkind: Config\ncurrent-context: aks1\n");
  transport->respond_json(
      200, json{{"kubeconfigs", {{{"name", "clusterUser"}, {"value", base64(yaml)}}}}}.dump());

  EXPECT_EQ(clusters.user_kubeconfig(ref), yaml);

  auto const post = request(0);
  EXPECT_EQ(post.method, http::Method::Post);
  EXPECT_EQ(post.url,
            std::string(k_endpoint) + k_path + "/listClusterUserCredential?api-version=2024-09-01");
  EXPECT_TRUE(post.body.empty());
  EXPECT_FALSE(post.headers.contains("Content-Type"));
}

TEST_F(ManagedClusterTest, UserKubeconfigDecodesEveryPaddingLength) {
  for (std::string const text : {"a", "ab", "abc", "abcd"}) {
    transport->respond_json(200, json{{"kubeconfigs", {{{"value", base64(text)}}}}}.dump());
    EXPECT_EQ(clusters.user_kubeconfig(ref), text);
  }
  transport->respond_json(200, R"({"kubeconfigs": [{"value": "YWJj\nZA"}]})");
  EXPECT_EQ(clusters.user_kubeconfig(ref), "abcd");
}

TEST_F(ManagedClusterTest, UserKubeconfigRefusesEmptyOrBrokenAnswers) {
  transport->respond_json(200, R"({"kubeconfigs": []})", headers({{"x-ms-request-id", "k1"}}));
  transport->respond_json(200, R"({"kubeconfigs": [{"value": "not*base64"}]})");
  transport->respond_json(200, R"({"kubeconfigs": [{"value": "YW=Jj"}]})");
  try {
    (void)clusters.user_kubeconfig(ref);
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().request_id, "k1");
    EXPECT_NE(std::string(error.what()).find("no kubeconfigs"), std::string::npos);
  }
  EXPECT_THROW((void)clusters.user_kubeconfig(ref), http::ServiceError);
  try {
    (void)clusters.user_kubeconfig(ref);
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(std::string(error.what()).find("YW"), std::string::npos);
  }
}

} // namespace managed_cluster_client_test
} // namespace wisetup::azure
