// An Entra-integrated cluster without local accounts (myEntraCluster in the default seed): its
// kubeconfig is a kubelogin exec user and its API server takes only Entra tokens for the AKS
// server application.
#include "sim_fixture.hpp"

namespace wisetup::sim::testing {
namespace entra_cluster_test {

constexpr char const* k_version = "?api-version=2024-09-01";

class EntraClusterTest : public SimFixture {
protected:
  static std::string entra_cluster_path() {
    return resource_path("myResourceGroup",
                         "Microsoft.ContainerService/managedClusters/myEntraCluster");
  }

  std::string kubeconfig(char const* action) {
    Answer const answer = arm("POST", entra_cluster_path() + "/" + action + k_version);
    EXPECT_EQ(answer.status, 200) << answer.text;
    return base64_decode(answer.json["kubeconfigs"][0].value("value", ""));
  }

  std::unique_ptr<httplib::SSLClient> kube_client(std::string const& certificate_pem = {},
                                                  std::string const& key_pem = {}) {
    auto client =
        certificate_pem.empty()
            ? std::make_unique<httplib::SSLClient>("127.0.0.1", m_simulator->kube_port())
            : std::make_unique<httplib::SSLClient>("127.0.0.1",
                                                   m_simulator->kube_port(),
                                                   write_temp("entra.crt", certificate_pem),
                                                   write_temp("entra.key", key_pem));
    client->set_ca_cert_path(m_simulator->ca_bundle_path().string());
    client->enable_server_certificate_verification(true);
    return client;
  }

  int namespaces_status_with_bearer(std::string const& bearer) {
    auto client = kube_client();
    client->set_bearer_token_auth(bearer);
    auto const result = client->Get("/api/v1/namespaces");
    return result ? result->status : -1;
  }

  std::string aks_token() {
    Answer const answer = request_token(k_demo_client, k_demo_secret, k_aks_scope);
    EXPECT_EQ(answer.status, 200) << answer.text;
    return answer.json.value("access_token", "");
  }
};

TEST_F(EntraClusterTest, UserKubeconfigIsAKubeloginExecUserWithoutLocalCredentials) {
  std::string const yaml = kubeconfig("listClusterUserCredential");
  EXPECT_NE(yaml.find("command: kubelogin"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("- --server-id\n      - 6dae42f8-4368-4678-94ff-3960e28e3630"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("- get-token"), std::string::npos);
  EXPECT_EQ(yaml.find("client-certificate-data"), std::string::npos);
  EXPECT_EQ(yaml.find("client-key-data"), std::string::npos);
  EXPECT_EQ(yaml.find("token: "), std::string::npos);
  EXPECT_EQ(kubeconfig_field(yaml, "server", false),
            "https://127.0.0.1:" + std::to_string(m_simulator->kube_port()));
  Answer const admin =
      arm("POST", entra_cluster_path() + "/listClusterAdminCredential" + k_version);
  EXPECT_EQ(admin.status, 400);
  EXPECT_EQ(admin.json["error"]["code"], "BadRequest");
}

TEST_F(EntraClusterTest, ApiServerTakesOnlyTokensForTheAksServerApp) {
  EXPECT_EQ(namespaces_status_with_bearer(aks_token()), 200);
  EXPECT_EQ(namespaces_status_with_bearer(token()), 401) << "an ARM token";
  Answer const graph =
      request_token(k_demo_client, k_demo_secret, "https://graph.microsoft.com/.default");
  EXPECT_EQ(namespaces_status_with_bearer(graph.json["access_token"]), 401);
  send("POST", "/_sim/tokens/expire");
  EXPECT_EQ(namespaces_status_with_bearer(aks_token()), 200) << "a fresh one";
}

TEST_F(EntraClusterTest, DisablingLocalAccountsShutsOutItsCertificateAndToken) {
  // Start with local accounts on, take the admin credential, then turn them off.
  nlohmann::json seed = state();
  seed["servicePrincipals"][0]["clientSecret"] = k_demo_secret;
  for (auto& [id, resource] : seed["resources"].items()) {
    if (id.ends_with("/myEntraCluster")) {
      resource["properties"]["disableLocalAccounts"] = false;
    }
  }
  ASSERT_EQ(send("PUT", "/_sim/state", seed.dump(), "application/json").status, 200);
  std::string const admin = kubeconfig("listClusterAdminCredential");
  std::string const certificate = kubeconfig_field(admin, "client-certificate-data", true);
  std::string const key = kubeconfig_field(admin, "client-key-data", true);
  std::string const static_token = kubeconfig_field(admin, "token", false);
  ASSERT_FALSE(certificate.empty());
  EXPECT_EQ(kube_client(certificate, key)->Get("/api/v1/namespaces")->status, 200);
  EXPECT_EQ(namespaces_status_with_bearer(static_token), 200);

  nlohmann::json cluster = arm("GET", entra_cluster_path() + k_version).json;
  cluster["properties"]["disableLocalAccounts"] = true;
  Answer const put = arm("PUT", entra_cluster_path() + k_version, cluster);
  ASSERT_EQ(put.status, 200) << put.text;
  EXPECT_EQ(kube_client(certificate, key)->Get("/api/v1/namespaces")->status, 401);
  EXPECT_EQ(namespaces_status_with_bearer(static_token), 401);
  EXPECT_EQ(namespaces_status_with_bearer(aks_token()), 200);
}

} // namespace entra_cluster_test
} // namespace wisetup::sim::testing
