#include "sim_fixture.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

namespace wisetup::sim::testing {
namespace {

std::string const k_version = "?api-version=2024-09-01";

class ArmClustersTest : public SimFixture {
protected:
  nlohmann::json get_cluster() {
    Answer const answer = arm("GET", cluster_path() + k_version);
    EXPECT_EQ(answer.status, 200) << answer.text;
    return answer.json;
  }

  // What a careful client sends: the resource as read, minus read-only fields, plus the flags.
  static nlohmann::json enabled_body(nlohmann::json cluster) {
    for (char const* field : {"id", "name", "type", "eTag"}) {
      cluster.erase(field);
    }
    auto& properties = cluster["properties"];
    properties["oidcIssuerProfile"]["enabled"] = true;
    properties["securityProfile"]["workloadIdentity"] = {{"enabled", true}};
    return cluster;
  }

  Answer wait_until_idle() {
    return poll_arm(cluster_path() + k_version, [](Answer const& answer) {
      return answer.json["properties"]["provisioningState"] != "Updating";
    });
  }
};

TEST_F(ArmClustersTest, GetReturnsTheFullSeededCluster) {
  nlohmann::json const cluster = get_cluster();
  EXPECT_EQ(cluster["type"], "Microsoft.ContainerService/ManagedClusters");
  EXPECT_FALSE(cluster["eTag"].get<std::string>().empty());
  auto const& properties = cluster["properties"];
  EXPECT_EQ(properties["provisioningState"], "Succeeded");
  EXPECT_EQ(properties["powerState"]["code"], "Running");
  EXPECT_EQ(properties["oidcIssuerProfile"], nlohmann::json({{"enabled", false}}));
  EXPECT_EQ(properties["securityProfile"], nlohmann::json::object());
  EXPECT_FALSE(properties.contains("aadProfile"));
  for (char const* field : {"kubernetesVersion",
                            "dnsPrefix",
                            "agentPoolProfiles",
                            "networkProfile",
                            "addonProfiles",
                            "fqdn",
                            "nodeResourceGroup"}) {
    EXPECT_TRUE(properties.contains(field)) << field;
  }
}

TEST_F(ArmClustersTest, PutRunsAnOperationThatEndsWithTheIssuerUrl) {
  nlohmann::json const before = get_cluster();
  Answer const put = arm("PUT",
                         cluster_path() + k_version,
                         enabled_body(before),
                         {{"If-Match", before["eTag"].get<std::string>()}});
  ASSERT_EQ(put.status, 200) << put.text;
  EXPECT_EQ(put.json["properties"]["provisioningState"], "Updating");
  EXPECT_NE(put.json["eTag"], before["eTag"]);
  EXPECT_TRUE(put.header("Retry-After").empty());
  std::string const monitor = put.header("Azure-AsyncOperation");
  std::string const prefix = m_simulator->base_url() + "/subscriptions/" + k_subscription +
                             "/providers/Microsoft.ContainerService/locations/eastus/operations/";
  ASSERT_EQ(monitor.rfind(prefix, 0), 0u) << monitor;
  EXPECT_NE(monitor.find("?api-version=2024-09-01"), std::string::npos);

  std::string const operation_path = monitor.substr(m_simulator->base_url().size());
  Answer const running = arm("GET", operation_path);
  ASSERT_EQ(running.status, 200) << running.text;
  EXPECT_EQ(running.json["status"], "InProgress");
  EXPECT_FALSE(running.json.contains("endTime"));
  EXPECT_FALSE(get_cluster()["properties"]["oidcIssuerProfile"].contains("issuerURL"));

  Answer const done = poll_arm(
      operation_path, [](Answer const& answer) { return answer.json["status"] != "InProgress"; });
  EXPECT_EQ(done.json["status"], "Succeeded");
  EXPECT_TRUE(done.json.contains("startTime"));
  EXPECT_TRUE(done.json.contains("endTime"));

  nlohmann::json const after = get_cluster();
  EXPECT_EQ(after["properties"]["provisioningState"], "Succeeded");
  EXPECT_EQ(after["properties"]["securityProfile"]["workloadIdentity"]["enabled"], true);
  std::string const issuer = after["properties"]["oidcIssuerProfile"]["issuerURL"];
  EXPECT_EQ(issuer.rfind(m_simulator->base_url() + "/oidc/" + k_tenant + "/", 0), 0u) << issuer;
  EXPECT_EQ(issuer.back(), '/');
  EXPECT_EQ(after["tags"], before["tags"]) << "the body carried the tags back";

  Answer const discovery = send(
      "GET", issuer.substr(m_simulator->base_url().size()) + ".well-known/openid-configuration");
  ASSERT_EQ(discovery.status, 200);
  EXPECT_EQ(discovery.json["issuer"], issuer);
  EXPECT_EQ(discovery.json["jwks_uri"], issuer + "openid/v1/jwks");
  Answer const keys = send("GET", issuer.substr(m_simulator->base_url().size()) + "openid/v1/jwks");
  ASSERT_EQ(keys.status, 200);
  EXPECT_EQ(keys.json["keys"][0]["kty"], "RSA");
  EXPECT_EQ(keys.json["keys"][0]["e"], "AQAB");

  // The issuer stays fixed across later updates.
  Answer const again = arm("PUT", cluster_path() + k_version, enabled_body(after));
  ASSERT_EQ(again.status, 200) << again.text;
  EXPECT_EQ(wait_until_idle().json["properties"]["oidcIssuerProfile"]["issuerURL"], issuer);
}

TEST_F(ArmClustersTest, PutLosesWritableSectionsTheBodyLeavesOut) {
  nlohmann::json body = enabled_body(get_cluster());
  body.erase("tags");
  body["properties"].erase("addonProfiles");
  body["properties"]["fqdn"] = "ignored.example"; // read-only: ignored, not an error
  Answer const put = arm("PUT", cluster_path() + k_version, body);
  ASSERT_EQ(put.status, 200) << put.text;
  nlohmann::json const stored = state()["resources"][put.json["id"].get<std::string>()];
  EXPECT_FALSE(stored.contains("tags"));
  EXPECT_FALSE(stored["properties"].contains("addonProfiles"));
  EXPECT_NE(stored["properties"]["fqdn"], "ignored.example");
  EXPECT_TRUE(stored["properties"].contains("agentPoolProfiles"));
}

TEST_F(ArmClustersTest, StaleIfMatchIsPreconditionFailed) {
  nlohmann::json const cluster = get_cluster();
  Answer const answer = arm(
      "PUT", cluster_path() + k_version, enabled_body(cluster), {{"If-Match", "\"stale-etag\""}});
  EXPECT_EQ(answer.status, 412);
  EXPECT_EQ(answer.json["error"]["code"], "PreconditionFailed");
  Answer const create_only =
      arm("PUT", cluster_path() + k_version, enabled_body(cluster), {{"If-None-Match", "*"}});
  EXPECT_EQ(create_only.status, 412);
}

TEST_F(ArmClustersTest, SecondPutWhileBusyIsOperationNotAllowed) {
  nlohmann::json const body = enabled_body(get_cluster());
  ASSERT_EQ(arm("PUT", cluster_path() + k_version, body).status, 200);
  Answer const busy = arm("PUT", cluster_path() + k_version, body);
  EXPECT_EQ(busy.status, 409);
  EXPECT_EQ(busy.json["error"]["code"], "OperationNotAllowed");
  EXPECT_NE(busy.json["error"]["message"].get<std::string>().find("aka.ms/aks-pending-operation"),
            std::string::npos);
  EXPECT_EQ(wait_until_idle().json["properties"]["provisioningState"], "Succeeded");
  EXPECT_EQ(arm("PUT", cluster_path() + k_version, body).status, 200);
}

TEST_F(ArmClustersTest, WorkloadIdentityNeedsTheIssuerAndTheIssuerStaysOn) {
  nlohmann::json body = enabled_body(get_cluster());
  body["properties"]["oidcIssuerProfile"]["enabled"] = false;
  Answer const without_issuer = arm("PUT", cluster_path() + k_version, body);
  EXPECT_EQ(without_issuer.status, 400);
  EXPECT_EQ(without_issuer.json["error"]["code"], "InvalidParameter");

  ASSERT_EQ(arm("PUT", cluster_path() + k_version, enabled_body(get_cluster())).status, 200);
  nlohmann::json disable = enabled_body(wait_until_idle().json);
  disable["properties"]["oidcIssuerProfile"]["enabled"] = false;
  disable["properties"]["securityProfile"].erase("workloadIdentity");
  Answer const disabling = arm("PUT", cluster_path() + k_version, disable);
  EXPECT_EQ(disabling.status, 400);
  EXPECT_EQ(disabling.json["error"]["target"], "oidcIssuerProfile.enabled");
}

TEST_F(ArmClustersTest, OidcDiscoveryIs404BeforeTheIssuerIsEnabled) {
  Answer const answer =
      send("GET",
           std::string("/oidc/") + k_tenant +
               "/00000000-0000-4000-8000-000000000000/.well-known/openid-configuration");
  EXPECT_EQ(answer.status, 404);
}

TEST_F(ArmClustersTest, ChangingACreateOnlyPropertyIsRefused) {
  nlohmann::json body = enabled_body(get_cluster());
  body["properties"]["dnsPrefix"] = "other";
  Answer const answer = arm("PUT", cluster_path() + k_version, body);
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.json["error"]["code"], "PropertyChangeNotAllowed");
}

TEST_F(ArmClustersTest, OperationFaultEndsTheOperationFailed) {
  ASSERT_EQ(send("POST",
                 "/_sim/faults",
                 R"({"kind":"operation","path_regex":"myAKSCluster","code":"ReconcileError",
                     "message":"The cluster could not be reconciled."})",
                 "application/json")
                .status,
            201);
  Answer const put = arm("PUT", cluster_path() + k_version, enabled_body(get_cluster()));
  std::string const operation_path =
      put.header("Azure-AsyncOperation").substr(m_simulator->base_url().size());
  Answer const done = poll_arm(
      operation_path, [](Answer const& answer) { return answer.json["status"] != "InProgress"; });
  EXPECT_EQ(done.json["status"], "Failed");
  EXPECT_EQ(done.json["error"]["code"], "ReconcileError");
  nlohmann::json const cluster = get_cluster();
  EXPECT_EQ(cluster["properties"]["provisioningState"], "Failed");
  EXPECT_FALSE(cluster["properties"]["oidcIssuerProfile"].contains("issuerURL"));
}

TEST_F(ArmClustersTest, CreatingAClusterAnswers201AndServesItsKubernetesApi) {
  nlohmann::json body = enabled_body(get_cluster());
  body["properties"].erase("dnsPrefix");
  body["properties"].erase("nodeResourceGroup");
  std::string const path =
      resource_path("identities-rg", "Microsoft.ContainerService/managedClusters/second") +
      k_version;
  Answer const put = arm("PUT", path, body);
  ASSERT_EQ(put.status, 201) << put.text;
  EXPECT_EQ(put.json["properties"]["provisioningState"], "Creating");
  EXPECT_EQ(put.json["id"],
            std::string("/subscriptions/") + k_subscription +
                "/resourcegroups/identities-rg/providers/Microsoft.ContainerService/"
                "managedClusters/second");
  Answer const credential =
      arm("POST",
          resource_path("identities-rg", "Microsoft.ContainerService/managedClusters/second") +
              "/listClusterAdminCredential" + k_version);
  ASSERT_EQ(credential.status, 200) << credential.text;
  EXPECT_EQ(credential.json["kubeconfigs"][0]["name"], "clusterAdmin");
}

TEST_F(ArmClustersTest, UserCredentialIsARealKubeconfig) {
  std::string const yaml = user_kubeconfig();
  EXPECT_NE(yaml.find("apiVersion: v1\n"), std::string::npos);
  EXPECT_NE(yaml.find("kind: Config\n"), std::string::npos);
  EXPECT_NE(yaml.find("current-context: myAKSCluster\n"), std::string::npos);
  EXPECT_EQ(kubeconfig_field(yaml, "server", false),
            "https://127.0.0.1:" + std::to_string(m_simulator->kube_port()));
  std::ifstream ca_file{m_simulator->ca_bundle_path()};
  std::ostringstream ca;
  ca << ca_file.rdbuf();
  EXPECT_EQ(kubeconfig_field(yaml, "certificate-authority-data", true), ca.str());

  std::string const certificate_pem = kubeconfig_field(yaml, "client-certificate-data", true);
  BIO* bio = BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size()));
  X509* certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(certificate, nullptr);
  std::array<char, 256> subject{};
  X509_NAME_oneline(X509_get_subject_name(certificate), subject.data(), subject.size());
  X509_free(certificate);
  EXPECT_STREQ(subject.data(), "/O=system:masters/CN=masterclient");
  EXPECT_NE(kubeconfig_field(yaml, "client-key-data", true).find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(kubeconfig_field(yaml, "token", false).size(), 128u);
}

TEST_F(ArmClustersTest, KubeconfigClientCertificateReachesTheKubernetesApi) {
  std::string const yaml = user_kubeconfig();
  std::string const certificate =
      write_temp("client.crt", kubeconfig_field(yaml, "client-certificate-data", true));
  std::string const key = write_temp("client.key", kubeconfig_field(yaml, "client-key-data", true));
  httplib::SSLClient kube{"127.0.0.1", m_simulator->kube_port(), certificate, key};
  kube.set_ca_cert_path(m_simulator->ca_bundle_path().string());
  kube.enable_server_certificate_verification(true);
  auto const result = kube.Get("/api/v1/namespaces/kube-system/serviceaccounts");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200) << result->body;
  auto const list = nlohmann::json::parse(result->body);
  EXPECT_EQ(list["kind"], "ServiceAccountList");
  std::vector<std::string> names;
  for (auto const& item : list["items"]) {
    names.push_back(item["metadata"]["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"coredns", "default"}));
}

TEST_F(ArmClustersTest, AdminCredentialIsRefusedWhenLocalAccountsAreDisabled) {
  nlohmann::json seed = nlohmann::json::parse(R"({
    "tenantId": "aaaaaaaa-0000-4000-8000-000000000001",
    "servicePrincipals": [{"clientId": "bbbbbbbb-0000-4000-8000-000000000001",
                           "clientSecret": "sim-demo-secret-value",
                           "objectId": "bbbbbbbb-0000-4000-8000-0000000000a1"}],
    "subscriptions": [{"subscriptionId": "00000000-0000-0000-0000-000000000001",
                       "resourceGroups": [{"name": "myResourceGroup", "location": "eastus"}]}],
    "resources": [{"id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/myResourceGroup/providers/Microsoft.ContainerService/managedClusters/myAKSCluster",
                   "location": "eastus",
                   "properties": {"disableLocalAccounts": true, "aadProfile": {"managed": true},
                                  "agentPoolProfiles": [{"name": "nodepool1", "count": 1}]}}]
  })");
  ASSERT_EQ(send("PUT", "/_sim/state", seed.dump(), "application/json").status, 200);
  Answer const admin = arm("POST", cluster_path() + "/listClusterAdminCredential" + k_version);
  EXPECT_EQ(admin.status, 400);
  EXPECT_EQ(admin.json["error"]["code"], "BadRequest");
  std::string const user = user_kubeconfig();
  EXPECT_NE(user.find("command: kubelogin"), std::string::npos);
  EXPECT_EQ(user.find("client-key-data"), std::string::npos);
}

TEST_F(ArmClustersTest, SeededBusyClusterIsUpdatingUntilItsTimeRunsOut) {
  nlohmann::json seed = nlohmann::json::parse(R"({
    "tenantId": "aaaaaaaa-0000-4000-8000-000000000001",
    "servicePrincipals": [{"clientId": "bbbbbbbb-0000-4000-8000-000000000001",
                           "clientSecret": "sim-demo-secret-value",
                           "objectId": "bbbbbbbb-0000-4000-8000-0000000000a1"}],
    "subscriptions": [{"subscriptionId": "00000000-0000-0000-0000-000000000001",
                       "resourceGroups": [{"name": "myResourceGroup", "location": "eastus"}]}],
    "resources": [{"id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/myResourceGroup/providers/Microsoft.ContainerService/managedClusters/myAKSCluster",
                   "location": "eastus", "sim:busySeconds": 0.3,
                   "properties": {"agentPoolProfiles": [{"name": "nodepool1", "count": 1}]}}]
  })");
  ASSERT_EQ(send("PUT", "/_sim/state", seed.dump(), "application/json").status, 200);
  nlohmann::json const cluster = get_cluster();
  EXPECT_EQ(cluster["properties"]["provisioningState"], "Updating");
  EXPECT_FALSE(cluster.contains("sim:busySeconds"));
  EXPECT_EQ(arm("PUT", cluster_path() + k_version, enabled_body(cluster)).status, 409);
  EXPECT_EQ(wait_until_idle().json["properties"]["provisioningState"], "Succeeded");
}

class RetryAfterClustersTest : public ArmClustersTest {
  void configure(Options& options) override { options.retry_after_seconds = 7; }
};

TEST_F(RetryAfterClustersTest, LongRunningAnswersCarryRetryAfter) {
  Answer const put = arm("PUT", cluster_path() + k_version, enabled_body(get_cluster()));
  EXPECT_EQ(put.header("Retry-After"), "7");
  Answer const operation =
      arm("GET", put.header("Azure-AsyncOperation").substr(m_simulator->base_url().size()));
  EXPECT_EQ(operation.header("Retry-After"), "7");
}

} // namespace
} // namespace wisetup::sim::testing
