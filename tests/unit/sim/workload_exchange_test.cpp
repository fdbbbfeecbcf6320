// The chain the verify subcommand walks: a service-account token from the cluster's TokenRequest,
// exchanged at Entra for a user-assigned identity's token through its federated credential, used
// on the Key Vault data plane; and Microsoft Graph's service principal look-ups.
#include "sim/default_seed.hpp"
#include "sim_fixture.hpp"

#include <fstream>

namespace wisetup::sim::testing {
namespace workload_exchange_test {

constexpr char const* k_msi_version = "?api-version=2023-01-31";
constexpr char const* k_kv_version = "?api-version=2023-07-01";
constexpr char const* k_rbac_version = "?api-version=2022-04-01";
constexpr char const* k_vault_scope = "https://vault.azure.net/.default";
constexpr char const* k_jwt_bearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr char const* k_secrets_user = "4633458b-17de-408a-b874-0445c86b69e6";
constexpr char const* k_vault_reader = "21090545-7ca7-4776-b22c-e363652d74d2";

std::string oidc_cluster_path() {
  return resource_path("myResourceGroup",
                       "Microsoft.ContainerService/managedClusters/myOidcCluster");
}

std::string encode(std::string const& text) {
  return httplib::detail::encode_query_param(text);
}

class WorkloadExchangeTest : public SimFixture {
protected:
  void configure(Options& options) override {
    nlohmann::json seed = nlohmann::json::parse(default_seed());
    for (auto& resource : seed["resources"]) {
      if (resource.value("name", "") == "keyvault-workload-id") {
        resource["sim:secrets"] = {
            {"db-password", "s3cret"},
            {"cert", {{"value", "PEM"}, {"contentType", "application/x-pem-file"}}}};
      }
      if (resource.value("name", "") == "keyvault-wi-rbac") {
        resource["sim:secrets"] = {{"api-key", "rbac-value"}};
      }
    }
    std::filesystem::create_directories(options.state_dir);
    auto const path = options.state_dir / "seed-with-secrets.json";
    std::ofstream{path} << seed.dump();
    options.seed = path;
  }

  void SetUp() override {
    SimFixture::SetUp();
    Answer const identity =
        arm("PUT", identity_path("app-id") + k_msi_version, {{"location", "eastus"}});
    ASSERT_EQ(identity.status, 201) << identity.text;
    m_client_id = identity.json["properties"]["clientId"];
    m_principal_id = identity.json["properties"]["principalId"];
    m_issuer = arm("GET", oidc_cluster_path() + "?api-version=2024-09-01")
                   .json["properties"]["oidcIssuerProfile"]["issuerURL"];
    ASSERT_FALSE(m_issuer.empty());
    put_credential(m_issuer, "system:serviceaccount:default:app-sa", k_exchange_audience);
    ASSERT_EQ(kube("POST",
                   "/api/v1/namespaces/default/serviceaccounts",
                   {{"metadata", {{"name", "app-sa"}}}})
                  .status,
              201);
  }

  void TearDown() override {
    m_kube.clear();
    SimFixture::TearDown();
  }

  void put_credential(std::string const& issuer,
                      std::string const& subject,
                      std::string const& audience) {
    Answer const answer = arm(
        "PUT",
        identity_path("app-id") + "/federatedIdentityCredentials/app-sa" + k_msi_version,
        {{"properties", {{"issuer", issuer}, {"subject", subject}, {"audiences", {audience}}}}});
    ASSERT_TRUE(answer.status == 200 || answer.status == 201) << answer.text;
  }

  Answer kube(std::string const& method,
              std::string const& path,
              nlohmann::json const& body,
              std::string const& cluster = "myOidcCluster") {
    auto& client = m_kube[cluster];
    if (!client) {
      Answer const credential =
          arm("POST",
              resource_path("myResourceGroup",
                            "Microsoft.ContainerService/managedClusters/" + cluster) +
                  "/listClusterUserCredential?api-version=2024-09-01");
      std::string const yaml =
          base64_decode(credential.json["kubeconfigs"][0]["value"].get<std::string>());
      client = std::make_unique<httplib::SSLClient>("127.0.0.1", m_simulator->kube_port());
      client->set_ca_cert_path(m_simulator->ca_bundle_path().string());
      client->enable_server_certificate_verification(true);
      client->set_bearer_token_auth(kubeconfig_field(yaml, "token", false));
    }
    auto const result =
        method == "POST" ? client->Post(path, body.dump(), "application/json") : client->Get(path);
    if (!result) {
      ADD_FAILURE() << httplib::to_string(result.error());
      return {};
    }
    return {result->status,
            result->body,
            nlohmann::json::parse(result->body, nullptr, false),
            result->headers};
  }

  // A service-account token of default/app-sa from the cluster's TokenRequest.
  std::string service_account_token(std::string const& cluster = "myOidcCluster",
                                    std::string const& audience = k_exchange_audience) {
    Answer const answer = kube("POST",
                               "/api/v1/namespaces/default/serviceaccounts/app-sa/token",
                               {{"apiVersion", "authentication.k8s.io/v1"},
                                {"kind", "TokenRequest"},
                                {"spec", {{"audiences", {audience}}, {"expirationSeconds", 3600}}}},
                               cluster);
    EXPECT_EQ(answer.status, 201) << answer.text;
    return answer.json["status"].value("token", "");
  }

  Answer exchange(std::string const& assertion,
                  std::string const& client_id = {},
                  std::string const& scope = k_vault_scope) {
    return post_form(std::string("/") + k_tenant + "/oauth2/v2.0/token",
                     {{"grant_type", "client_credentials"},
                      {"client_id", client_id.empty() ? m_client_id : client_id},
                      {"client_assertion_type", k_jwt_bearer},
                      {"client_assertion", assertion},
                      {"scope", scope}});
  }

  std::string vault_token() {
    Answer const answer = exchange(service_account_token());
    EXPECT_EQ(answer.status, 200) << answer.text;
    return answer.json.value("access_token", "");
  }

  std::string vault_uri(std::string const& vault) {
    return arm("GET", vault_path(vault) + k_kv_version).json["properties"]["vaultUri"];
  }

  // GET {vaultUri}secrets/{name}?api-version=7.4 with `bearer` (empty: no Authorization).
  Answer get_secret(std::string const& vault, std::string const& name, std::string const& bearer) {
    std::string const uri = vault_uri(vault);
    httplib::Headers headers;
    if (!bearer.empty()) {
      headers.emplace("Authorization", "Bearer " + bearer);
    }
    return send("GET",
                uri.substr(m_simulator->base_url().size()) + "secrets/" + name + "?api-version=7.4",
                {},
                {},
                headers);
  }

  Answer access_policies(char const* kind, nlohmann::json const& permissions) {
    return arm("PUT",
               vault_path("keyvault-workload-id") + "/accessPolicies/" + kind + k_kv_version,
               {{"properties",
                 {{"accessPolicies",
                   {{{"tenantId", k_tenant},
                     {"objectId", m_principal_id},
                     {"permissions", permissions}}}}}}});
  }

  Answer assign(std::string const& scope, std::string const& role, std::string const& name) {
    return arm("PUT",
               scope + "/providers/Microsoft.Authorization/roleAssignments/" + name +
                   k_rbac_version,
               {{"properties",
                 {{"roleDefinitionId",
                   std::string("/subscriptions/") + k_subscription +
                       "/providers/Microsoft.Authorization/roleDefinitions/" + role},
                  {"principalId", m_principal_id},
                  {"principalType", "ServicePrincipal"}}}});
  }

  std::string m_client_id;
  std::string m_principal_id;
  std::string m_issuer;
  std::map<std::string, std::unique_ptr<httplib::SSLClient>> m_kube;
};

TEST_F(WorkloadExchangeTest, ServiceAccountTokenSignsInAsTheIdentity) {
  Answer const answer = exchange(service_account_token());
  ASSERT_EQ(answer.status, 200) << answer.text;
  auto const claims = jwt_claims(answer.json["access_token"]);
  EXPECT_EQ(claims["oid"], m_principal_id);
  EXPECT_EQ(claims["appid"], m_client_id);
  EXPECT_EQ(claims["aud"], "https://vault.azure.net");
  EXPECT_EQ(claims["tid"], k_tenant);
  EXPECT_EQ(claims["xms_mirid"].get<std::string>().find("/userAssignedIdentities/app-id"),
            claims["xms_mirid"].get<std::string>().size() -
                std::string("/userAssignedIdentities/app-id").size());
  // Another resource is fine too.
  EXPECT_EQ(
      jwt_claims(exchange(service_account_token(), {}, k_arm_scope).json["access_token"])["aud"],
      "https://management.core.windows.net/");
}

TEST_F(WorkloadExchangeTest, ExchangeFailsWithEntrasCodes) {
  std::string const token = service_account_token();
  auto const code = [](Answer const& answer) {
    if (!answer.json.is_object() || !answer.json.contains("error_codes") ||
        !answer.json["error_codes"].is_array()) {
      ADD_FAILURE() << answer.status << " " << answer.text;
      return 0;
    }
    return answer.json["error_codes"][0].get<int>();
  };

  put_credential(m_issuer, "system:serviceaccount:default:other", k_exchange_audience);
  Answer const subject = exchange(token);
  EXPECT_EQ(subject.status, 400);
  EXPECT_EQ(code(subject), 700213) << subject.text;
  put_credential(m_issuer, "system:serviceaccount:default:app-sa", "api://Other");
  EXPECT_EQ(code(exchange(token)), 700212);
  put_credential(
      "https://issuer.example/", "system:serviceaccount:default:app-sa", k_exchange_audience);
  EXPECT_EQ(code(exchange(token)), 700211);
  put_credential(m_issuer, "system:serviceaccount:default:app-sa", k_exchange_audience);
  EXPECT_EQ(exchange(token).status, 200);

  // A cluster without the OIDC issuer signs with an issuer Entra does not know.
  ASSERT_EQ(kube("POST",
                 "/api/v1/namespaces/default/serviceaccounts",
                 {{"metadata", {{"name", "app-sa"}}}},
                 "myAKSCluster")
                .status,
            201);
  EXPECT_EQ(code(exchange(service_account_token("myAKSCluster"))), 700211);

  std::string tampered = token;
  // A character inside the signature (the last one may only carry padding bits).
  char& inside = tampered[tampered.size() - 10];
  inside = inside == 'A' ? 'B' : 'A';
  EXPECT_EQ(code(exchange(tampered)), 700027);
  EXPECT_EQ(code(exchange("not-a-jwt")), 50027);
  EXPECT_EQ(code(exchange(token, "12345678-0000-4000-8000-00000000dead")), 700016);

  Answer const expired = send("POST",
                              "/_sim/oidc/tokens",
                              nlohmann::json{{"issuer", "cluster:myOidcCluster"},
                                             {"subject", "system:serviceaccount:default:app-sa"},
                                             {"lifetime_seconds", -60}}
                                  .dump(),
                              "application/json");
  ASSERT_EQ(expired.status, 200) << expired.text;
  EXPECT_EQ(code(exchange(expired.json["token"])), 700024);

  ASSERT_EQ(arm("DELETE",
                identity_path("app-id") + "/federatedIdentityCredentials/app-sa" + k_msi_version)
                .status,
            200);
  EXPECT_EQ(code(exchange(token)), 70021);
  ASSERT_EQ(arm("DELETE", identity_path("app-id") + k_msi_version).status, 200);
  EXPECT_EQ(code(exchange(token)), 700016);
}

TEST_F(WorkloadExchangeTest, VaultWithoutTokenChallengesForTheVaultAudience) {
  Answer const anonymous = get_secret("keyvault-workload-id", "db-password", "");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.header("WWW-Authenticate"),
            "Bearer authorization=\"" + m_simulator->base_url() + "/" + k_tenant +
                "\", resource=\"https://vault.azure.net\"");
  EXPECT_EQ(anonymous.json["error"]["code"], "Unauthorized");
  Answer const arm_token = get_secret("keyvault-workload-id", "db-password", token());
  EXPECT_EQ(arm_token.status, 401);
  EXPECT_NE(arm_token.json["error"]["message"].get<std::string>().find("audience"),
            std::string::npos);
  EXPECT_EQ(get_secret("keyvault-workload-id", "db-password", "garbage").status, 401);
}

TEST_F(WorkloadExchangeTest, AccessPolicyVaultNeedsSecretGet) {
  EXPECT_EQ(vault_uri("keyvault-workload-id"),
            m_simulator->base_url() + "/keyvault/keyvault-workload-id/");
  std::string const bearer = vault_token();
  Answer const forbidden = get_secret("keyvault-workload-id", "absent", bearer);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.json["error"]["code"], "Forbidden");
  EXPECT_EQ(forbidden.json["error"]["innererror"]["code"], "ForbiddenByPolicy");
  EXPECT_NE(forbidden.json["error"]["message"].get<std::string>().find("oid=" + m_principal_id),
            std::string::npos);

  ASSERT_EQ(access_policies("add", {{"secrets", {"list"}}}).status, 200);
  EXPECT_EQ(get_secret("keyvault-workload-id", "absent", bearer).status, 403);
  ASSERT_EQ(access_policies("add", {{"secrets", {"Get"}}, {"keys", {"get"}}}).status, 200);
  Answer const absent = get_secret("keyvault-workload-id", "absent", bearer);
  EXPECT_EQ(absent.status, 404);
  EXPECT_EQ(absent.json["error"]["code"], "SecretNotFound");
  Answer const present = get_secret("keyvault-workload-id", "db-password", bearer);
  ASSERT_EQ(present.status, 200) << present.text;
  EXPECT_EQ(present.json["value"], "s3cret");
  EXPECT_EQ(present.json["id"].get<std::string>().rfind(
                m_simulator->base_url() + "/keyvault/keyvault-workload-id/secrets/db-password/", 0),
            0u);
  EXPECT_EQ(get_secret("keyvault-workload-id", "cert", bearer).json["contentType"],
            "application/x-pem-file");

  // remove takes away the listed permissions; the entry goes when none remain.
  ASSERT_EQ(access_policies("remove", {{"secrets", {"get", "list"}}}).status, 200);
  EXPECT_EQ(get_secret("keyvault-workload-id", "db-password", bearer).status, 403);
  auto policies = arm("GET", vault_path("keyvault-workload-id") + k_kv_version)
                      .json["properties"]["accessPolicies"];
  ASSERT_EQ(policies.size(), 3u);
  EXPECT_EQ(policies[2]["permissions"]["keys"], nlohmann::json::array({"get"}));
  ASSERT_EQ(access_policies("remove", {{"keys", {"get"}}}).status, 200);
  EXPECT_EQ(arm("GET", vault_path("keyvault-workload-id") + k_kv_version)
                .json["properties"]["accessPolicies"]
                .size(),
            2u);
}

TEST_F(WorkloadExchangeTest, RbacVaultNeedsASecretReadingRoleAtOrAboveTheVault) {
  std::string const bearer = vault_token();
  Answer const forbidden = get_secret("keyvault-wi-rbac", "absent", bearer);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.json["error"]["innererror"]["code"], "ForbiddenByRbac");
  // Key Vault Reader reads metadata only.
  ASSERT_EQ(
      assign(vault_path("keyvault-wi-rbac"), k_vault_reader, "aaaaaaaa-1111-4000-8000-000000000001")
          .status,
      201);
  EXPECT_EQ(get_secret("keyvault-wi-rbac", "absent", bearer).status, 403);
  // Access policies do not count on an RBAC vault.
  // Secrets User at the resource group covers the vault.
  ASSERT_EQ(
      assign(std::string("/subscriptions/") + k_subscription + "/resourceGroups/myResourceGroup",
             k_secrets_user,
             "aaaaaaaa-1111-4000-8000-000000000002")
          .status,
      201);
  Answer const absent = get_secret("keyvault-wi-rbac", "absent", bearer);
  EXPECT_EQ(absent.status, 404) << absent.text;
  EXPECT_EQ(absent.json["error"]["code"], "SecretNotFound");
  EXPECT_EQ(get_secret("keyvault-wi-rbac", "api-key", bearer).json["value"], "rbac-value");
  // The access-policy vault is not covered by role assignments.
  EXPECT_EQ(get_secret("keyvault-workload-id", "db-password", bearer).status, 403);
  ASSERT_EQ(
      arm("DELETE",
          std::string("/subscriptions/") + k_subscription +
              "/resourceGroups/myResourceGroup/providers/Microsoft.Authorization/roleAssignments/"
              "aaaaaaaa-1111-4000-8000-000000000002" +
              k_rbac_version)
          .status,
      200);
  EXPECT_EQ(get_secret("keyvault-wi-rbac", "absent", bearer).status, 403);
}

TEST_F(WorkloadExchangeTest, VaultDataPlaneReadsAreNotWrites) {
  std::string const bearer = vault_token();
  send("POST", "/_sim/requests/clear", "{}", "application/json");
  get_secret("keyvault-workload-id", "db-password", bearer);
  auto const log = send("GET", "/_sim/requests").json;
  ASSERT_FALSE(log.empty());
  bool found = false;
  for (auto const& entry : log) {
    if (entry["service"] == "keyvault") {
      found = true;
      EXPECT_EQ(entry["write"], false);
      EXPECT_EQ(entry["method"], "GET");
    }
  }
  EXPECT_TRUE(found) << log.dump();
}

TEST_F(WorkloadExchangeTest, GraphFindsServicePrincipalsByAppId) {
  std::string const graph = m_simulator->base_url() + "/graph/";
  Answer const token_answer = request_token(k_demo_client, k_demo_secret, graph + "/.default");
  ASSERT_EQ(token_answer.status, 200) << token_answer.text;
  std::string const bearer = token_answer.json["access_token"];
  EXPECT_EQ(jwt_claims(bearer)["aud"], graph);
  auto const get = [&](std::string const& path, std::string const& with = "") {
    httplib::Headers headers{{"Authorization", "Bearer " + (with.empty() ? bearer : with)}};
    return send("GET", path, {}, {}, headers);
  };
  Answer const identity =
      get("/graph/v1.0/servicePrincipals?$filter=" + encode("appId eq '" + m_client_id + "'"));
  ASSERT_EQ(identity.status, 200) << identity.text;
  ASSERT_EQ(identity.json["value"].size(), 1u);
  EXPECT_EQ(identity.json["value"][0]["id"], m_principal_id);
  EXPECT_EQ(identity.json["value"][0]["appId"], m_client_id);
  EXPECT_EQ(identity.json["value"][0]["servicePrincipalType"], "ManagedIdentity");
  Answer const by_name =
      get("/graph/v1.0/servicePrincipals?$filter=" +
          encode("servicePrincipalNames/any(c:c eq '" + std::string(k_demo_client) + "')"));
  ASSERT_EQ(by_name.json["value"].size(), 1u);
  EXPECT_EQ(by_name.json["value"][0]["id"], k_demo_object);
  EXPECT_EQ(get("/graph/v1.0/servicePrincipals?$filter=" + encode("appId eq 'nobody'"))
                .json["value"]
                .size(),
            0u);
  EXPECT_EQ(get("/graph/v1.0/servicePrincipals/" + m_principal_id).json["appId"], m_client_id);
  EXPECT_EQ(
      get("/graph/v1.0/servicePrincipals(appId='" + std::string(k_demo_client) + "')").json["id"],
      k_demo_object);
  Answer const missing = get("/graph/v1.0/servicePrincipals/00000000-0000-0000-0000-00000000beef");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json["error"]["code"], "Request_ResourceNotFound");
  EXPECT_EQ(
      get("/graph/v1.0/servicePrincipals?$filter=" + encode("startswith(displayName,'a')")).status,
      400);
  // The public Graph audience works too; ARM tokens do not.
  EXPECT_EQ(get("/graph/v1.0/servicePrincipals",
                request_token(k_demo_client, k_demo_secret, "https://graph.microsoft.com/.default")
                    .json["access_token"])
                .status,
            200);
  Answer const arm_token = get("/graph/v1.0/servicePrincipals", token());
  EXPECT_EQ(arm_token.status, 401);
  EXPECT_EQ(arm_token.json["error"]["code"], "InvalidAuthenticationToken");
  EXPECT_EQ(send("GET", "/graph/v1.0/servicePrincipals").status, 401);
}

} // namespace workload_exchange_test
} // namespace wisetup::sim::testing
