// verify's checks over scripted ARM, Kubernetes, OIDC issuer and Entra answers.
#include "unit/steps/step_fixture.hpp"

#include <wisetup/core/cloud.hpp>
#include <wisetup/steps/binding_verifier.hpp>

#include <algorithm>

namespace wisetup::steps {
namespace {

constexpr char const* k_issuer = "https://issuer.test/t/g/";
constexpr char const* k_subject = "system:serviceaccount:apps:web";

// A kubeconfig as listClusterUserCredential returns it (base64 of YAML).
constexpr char const* k_kubeconfig_yaml = R"(apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster:
    server: https://kube.test
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
users:
- name: clusterUser_g_c1
  user:
    token: static-token
contexts:
- name: c1
  context:
    cluster: c1
    user: clusterUser_g_c1
current-context: c1
)";

std::string base64(std::string const& text) {
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (auto const c : text) {
    bits = (bits << 8U) | static_cast<unsigned char>(c);
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += k_alphabet[(bits >> static_cast<unsigned>(count)) & 63U];
    }
  }
  if (count > 0) {
    out += k_alphabet[(bits << static_cast<unsigned>(6 - count)) & 63U];
  }
  while (out.size() % 4 != 0) {
    out += '=';
  }
  return out;
}

nlohmann::json cluster_json() {
  return {{"id",
           "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/"
           "managedClusters/c1"},
          {"name", "c1"},
          {"location", "eastus"},
          {"properties",
           {{"provisioningState", "Succeeded"},
            {"oidcIssuerProfile", {{"enabled", true}, {"issuerURL", k_issuer}}},
            {"securityProfile", {{"workloadIdentity", {{"enabled", true}}}}}}}};
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

nlohmann::json credentials_json(std::string const& issuer) {
  return {{"value",
           {{{"name", "apps-web"},
             {"properties",
              {{"issuer", issuer},
               {"subject", k_subject},
               {"audiences", {"api://AzureADTokenExchange"}}}}}}}};
}

nlohmann::json vault_json(nlohmann::json const& secrets) {
  return {{"id", "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1"},
          {"name", "kv1"},
          {"properties",
           {{"tenantId", "tenant-1"},
            {"vaultUri", "https://kv1.vault.azure.net/"},
            {"enableRbacAuthorization", false},
            {"accessPolicies",
             {{{"tenantId", "tenant-1"},
               {"objectId", "principal-1"},
               {"permissions", {{"secrets", secrets}}}}}}}}};
}

nlohmann::json account_json(std::string const& client_id) {
  return {{"metadata",
           {{"name", "web"},
            {"namespace", "apps"},
            {"annotations", {{"azure.workload.identity/client-id", client_id}}}}}};
}

nlohmann::json pod(std::string const& name, bool labelled, bool injected) {
  nlohmann::json result{
      {"metadata", {{"name", name}, {"namespace", "apps"}}},
      {"spec", {{"serviceAccountName", "web"}, {"containers", {{{"name", "app"}}}}}}};
  if (labelled) {
    result["metadata"]["labels"] = {{"azure.workload.identity/use", "true"}};
  }
  if (injected) {
    result["spec"]["containers"][0]["env"] = {
        {{"name", "AZURE_FEDERATED_TOKEN_FILE"},
         {"value", "/var/run/secrets/azure/tokens/azure-identity-token"}}};
  }
  return result;
}

/// Every answer of one run of verify, good unless a test changes a part first.
struct Script {
  nlohmann::json cluster = cluster_json();
  std::string discovered_issuer = k_issuer;
  std::string credential_issuer = k_issuer;
  std::string annotated_client_id = "client-1";
  nlohmann::json secrets = {"get"};
  nlohmann::json pods = nlohmann::json::array({pod("web-1", true, true)});
};

class BindingVerifierTest : public StepFixture {
protected:
  /// Queues the answers of verify without the exchange, in the order it asks.
  void script(Script const& answers) {
    arm_transport->respond_json(200, answers.cluster.dump());
    oidc_transport->respond_json(
        200,
        nlohmann::json{{"issuer", answers.discovered_issuer},
                       {"jwks_uri", "https://issuer.test/t/g/openid/v1/jwks"}}
            .dump());
    oidc_transport->respond_json(200, R"({"keys": [{"kty": "RSA", "kid": "k1"}]})");
    arm_transport->respond_json(200, identity_json().dump());
    arm_transport->respond_json(200, credentials_json(answers.credential_issuer).dump());
    arm_transport->respond_json(
        200,
        nlohmann::json{
            {"kubeconfigs", {{{"name", "clusterUser"}, {"value", base64(k_kubeconfig_yaml)}}}}}
            .dump());
    kube_transport->respond_json(200, account_json(answers.annotated_client_id).dump());
    arm_transport->respond_json(200, vault_json(answers.secrets).dump());
    kube_transport->respond_json(200, nlohmann::json{{"items", answers.pods}}.dump());
  }

  std::vector<Check> verify(bool exchange = false) {
    BindingVerifier const verifier{
        services,
        VerifyConnections{core::builtin_cloud("AzureCloud"),
                          entra_transport,
                          std::make_shared<http::Pipeline>(
                              std::vector<std::unique_ptr<http::Policy>>{}, oidc_transport),
                          [this](http::AccessToken const&) {
                            return std::make_shared<http::Pipeline>(
                                std::vector<std::unique_ptr<http::Policy>>{}, vault_data_transport);
                          },
                          clock}};
    auto checks = verifier.verify(target, exchange);
    EXPECT_EQ(arm_transport->pending(), 0U);
    EXPECT_EQ(kube_transport->pending(), 0U);
    EXPECT_EQ(oidc_transport->pending(), 0U);
    EXPECT_EQ(entra_transport->pending(), 0U);
    // verify reads only: the one POST to ARM asks for the user kubeconfig.
    for (auto const& request : writes(*arm_transport)) {
      EXPECT_NE(request.url.find("/listClusterUserCredential"), std::string::npos) << request.url;
    }
    return checks;
  }

  static std::vector<Check> named(std::vector<Check> const& checks, std::string const& name) {
    std::vector<Check> found;
    std::copy_if(checks.begin(), checks.end(), std::back_inserter(found), [&](auto const& c) {
      return c.name == name;
    });
    return found;
  }

  static Check one(std::vector<Check> const& checks, std::string const& name) {
    auto const found = named(checks, name);
    EXPECT_EQ(found.size(), 1U) << name;
    return found.empty() ? Check{} : found.front();
  }

  static bool contains(std::string const& text, std::string const& part) {
    return text.find(part) != std::string::npos;
  }

  std::shared_ptr<testing::FakeTransport> oidc_transport =
      std::make_shared<testing::FakeTransport>();
  std::shared_ptr<testing::FakeTransport> entra_transport =
      std::make_shared<testing::FakeTransport>();
  std::shared_ptr<testing::FakeTransport> vault_data_transport =
      std::make_shared<testing::FakeTransport>();
  VerifyTarget target{azure::ResourceRef{"s", "g", "c1"},
                      azure::ResourceRef{"s", "g", "id1"},
                      azure::ResourceRef{"s", "g", "kv1"},
                      azure::VaultPermissions{{}, {"get"}, {}},
                      "apps",
                      "web",
                      "apps-web",
                      "api://AzureADTokenExchange"};
};

TEST_F(BindingVerifierTest, AGoodBindingIsOkThroughout) {
  script({});
  auto const checks = verify();
  std::vector<std::string> names;
  for (auto const& check : checks) {
    names.push_back(check.name);
    EXPECT_EQ(check.status, CheckStatus::Ok) << check.name << ": " << check.detail;
    EXPECT_TRUE(check.fix.empty()) << check.name;
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"cluster",
                                      "issuer",
                                      "identity",
                                      "federated-credential",
                                      "service-account",
                                      "keyvault-access",
                                      "pods"}));
  EXPECT_TRUE(contains(one(checks, "issuer").detail, "1 key(s)"));
  EXPECT_TRUE(contains(one(checks, "pods").detail, "1 pod(s) labelled and injected"));
  EXPECT_EQ(oidc_transport->requests().at(0).url,
            "https://issuer.test/t/g/.well-known/openid-configuration");
}

TEST_F(BindingVerifierTest, ACredentialWithTheOldIssuerIsRepairedWithRepairIssuer) {
  Script answers;
  answers.credential_issuer = "https://issuer.test/t/old-cluster/";
  script(answers);
  auto const check = one(verify(), "federated-credential");
  EXPECT_EQ(check.status, CheckStatus::Broken);
  EXPECT_TRUE(contains(check.detail, "https://issuer.test/t/old-cluster/")) << check.detail;
  EXPECT_TRUE(contains(check.detail, k_issuer)) << check.detail;
  EXPECT_TRUE(contains(check.fix, "--repair-issuer")) << check.fix;
}

TEST_F(BindingVerifierTest, AServiceAccountOfAnotherIdentityNamesBothClientIds) {
  Script answers;
  answers.annotated_client_id = "client-2";
  script(answers);
  auto const check = one(verify(), "service-account");
  EXPECT_EQ(check.status, CheckStatus::Broken);
  EXPECT_TRUE(contains(check.detail, "client-2")) << check.detail;
  EXPECT_TRUE(contains(check.detail, "client-1")) << check.detail;
  EXPECT_TRUE(contains(check.fix, "client-1")) << check.fix;
}

TEST_F(BindingVerifierTest, AMissingVaultPermissionIsBroken) {
  target.permissions = azure::VaultPermissions{{"get"}, {"get", "list"}, {}};
  Script answers;
  answers.secrets = {"Get"}; // another casing still counts; list and keys get are missing
  script(answers);
  auto const check = one(verify(), "keyvault-access");
  EXPECT_EQ(check.status, CheckStatus::Broken);
  EXPECT_TRUE(contains(check.detail, "keys get")) << check.detail;
  EXPECT_TRUE(contains(check.detail, "secrets list")) << check.detail;
  EXPECT_FALSE(contains(check.detail, "secrets get")) << check.detail;
  EXPECT_TRUE(contains(check.fix, "wi-setup enable")) << check.fix;
}

TEST_F(BindingVerifierTest, ADiscoveryIssuerWithoutTheTrailingSlashIsBroken) {
  Script answers;
  answers.discovered_issuer = "https://issuer.test/t/g";
  script(answers);
  auto const checks = verify();
  auto const check = one(checks, "issuer");
  EXPECT_EQ(check.status, CheckStatus::Broken);
  EXPECT_TRUE(contains(check.detail, "\"https://issuer.test/t/g\"")) << check.detail;
  EXPECT_TRUE(contains(check.detail, "\"https://issuer.test/t/g/\"")) << check.detail;
  EXPECT_TRUE(contains(check.fix, "character for character")) << check.fix;
  EXPECT_EQ(one(checks, "cluster").status, CheckStatus::Ok);
}

TEST_F(BindingVerifierTest, UnlabelledAndNotInjectedPodsAreTwoWarnings) {
  Script answers;
  answers.pods = {pod("bare", false, false), pod("stale", true, false), pod("good", true, true)};
  script(answers);
  auto const pods = named(verify(), "pods");
  ASSERT_EQ(pods.size(), 2U);
  EXPECT_EQ(pods[0].status, CheckStatus::Warning);
  EXPECT_TRUE(contains(pods[0].detail, "azure.workload.identity/use")) << pods[0].detail;
  EXPECT_TRUE(contains(pods[0].detail, "bare")) << pods[0].detail;
  EXPECT_FALSE(contains(pods[0].detail, "stale")) << pods[0].detail;
  EXPECT_TRUE(contains(pods[0].fix, "pod template")) << pods[0].fix;
  EXPECT_EQ(pods[1].status, CheckStatus::Warning);
  EXPECT_TRUE(contains(pods[1].detail, "AZURE_FEDERATED_TOKEN_FILE")) << pods[1].detail;
  EXPECT_TRUE(contains(pods[1].detail, "stale")) << pods[1].detail;
  EXPECT_FALSE(contains(pods[1].detail, "bare")) << pods[1].detail;
  EXPECT_TRUE(contains(pods[1].fix, "rollout restart")) << pods[1].fix;
}

TEST_F(BindingVerifierTest, AnExchangeRefusedFor700213IsTriedThreeTimesThenBroken) {
  script({});
  kube_transport->respond_json(201, R"({"status": {"token": "sa-token"}})");
  auto const refusal = nlohmann::json{
      {"error", "invalid_grant"},
      {"error_description",
       "AADSTS700213: No matching federated identity record found for presented "
       "assertion subject 'system:serviceaccount:apps:web'."},
      {"error_codes",
       {700213}}}.dump();
  for (int attempt = 0; attempt < 3; ++attempt) {
    entra_transport->respond_json(400, refusal);
  }
  auto const checks = verify(/*exchange=*/true);

  auto const check = one(checks, "token-exchange");
  EXPECT_EQ(check.status, CheckStatus::Broken);
  EXPECT_TRUE(contains(check.detail, "AADSTS700213")) << check.detail;
  EXPECT_TRUE(contains(check.detail, "has the token's subject")) << check.detail; // its meaning
  EXPECT_TRUE(contains(check.fix, "wi-setup enable")) << check.fix;
  EXPECT_TRUE(named(checks, "keyvault-read").empty());

  // A new credential takes seconds to be honoured: three tries, two seconds apart.
  auto const tries = entra_transport->requests();
  ASSERT_EQ(tries.size(), 3U);
  for (auto const& request : tries) {
    EXPECT_EQ(request.url, "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token");
    EXPECT_TRUE(contains(request.body, "client_id=client-1")) << request.body;
    EXPECT_TRUE(contains(request.body, "client_assertion=sa-token")) << request.body;
  }
  EXPECT_EQ(
      clock->sleeps(),
      (std::vector<std::chrono::milliseconds>{std::chrono::seconds{2}, std::chrono::seconds{2}}));
  // The service account token was asked for the credential's audience.
  auto const token_request = kube_transport->requests().back();
  EXPECT_EQ(token_request.method, http::Method::Post);
  EXPECT_TRUE(contains(token_request.url, "/namespaces/apps/serviceaccounts/web/token"));
  EXPECT_EQ(nlohmann::json::parse(token_request.body)["spec"]["audiences"][0],
            "api://AzureADTokenExchange");
  EXPECT_TRUE(vault_data_transport->requests().empty());
}

} // namespace
} // namespace wisetup::steps
