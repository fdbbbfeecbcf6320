// Workload identity federation (reference section 7.3): tokens of the cluster issuers and the
// GitHub-Actions-like issuer the simulator hosts, exchanged at the token endpoint.
#include "sim/encoding.hpp"
#include "sim_fixture.hpp"

#include <fstream>

namespace wisetup::sim::testing {
namespace federated_credentials_test {

constexpr char const* k_jwt_bearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

class FederatedCredentialsTest : public SimFixture {
protected:
  Answer mint(nlohmann::json const& request) {
    return send("POST", "/_sim/oidc/tokens", request.dump(), "application/json");
  }

  std::string cluster_token(std::string const& subject = k_ci_subject,
                            std::string const& audience = k_exchange_audience,
                            double lifetime = 600) {
    Answer const answer = mint({{"issuer", "cluster:myOidcCluster"},
                                {"subject", subject},
                                {"audience", audience},
                                {"lifetime_seconds", lifetime}});
    EXPECT_EQ(answer.status, 200) << answer.text;
    return answer.json.value("token", "");
  }

  Answer exchange(std::string const& assertion, std::string const& client_id) {
    return post_form(std::string("/") + k_tenant + "/oauth2/v2.0/token",
                     {{"grant_type", "client_credentials"},
                      {"client_id", client_id},
                      {"scope", k_arm_scope},
                      {"client_assertion_type", k_jwt_bearer},
                      {"client_assertion", assertion}});
  }

  Answer github_token(std::string const& bearer, std::string const& audience) {
    std::string path = "/github/token?api-version=2.0";
    if (!audience.empty()) {
      path += "&audience=" + url_encode(audience);
    }
    return send("GET", path, {}, {}, {{"Authorization", "Bearer " + bearer}});
  }

  static void expect_code(Answer const& answer, int status, int code) {
    EXPECT_EQ(answer.status, status) << answer.text;
    EXPECT_EQ(answer.json["error_codes"], nlohmann::json::array({code})) << answer.text;
  }

  // The issuer URL of a seeded cluster, from ARM.
  std::string issuer_of(std::string const& cluster) {
    return arm("GET",
               resource_path("myResourceGroup",
                             "Microsoft.ContainerService/managedClusters/" + cluster) +
                   "?api-version=2024-09-01")
        .json["properties"]["oidcIssuerProfile"]
        .value("issuerURL", "");
  }
};

TEST_F(FederatedCredentialsTest, ClusterTokenLooksLikeAProjectedServiceAccountToken) {
  std::string const issuer = issuer_of("myOidcCluster");
  ASSERT_FALSE(issuer.empty());
  std::string const token = cluster_token();
  nlohmann::json const claims = jwt_claims(token);
  EXPECT_EQ(claims["iss"], issuer);
  EXPECT_EQ(claims["sub"], k_ci_subject);
  EXPECT_EQ(claims["aud"], nlohmann::json::array({k_exchange_audience}));
  EXPECT_EQ(claims["kubernetes.io"]["namespace"], "ci");
  EXPECT_EQ(claims["kubernetes.io"]["serviceaccount"]["name"], "deployer");
  EXPECT_EQ(claims["exp"].get<long long>() - claims["iat"].get<long long>(), 600);
  // Signed with the key the issuer's JWKS publishes.
  std::string const path = issuer.substr(m_simulator->base_url().size());
  Answer const jwks = send("GET", path + "openid/v1/jwks");
  ASSERT_EQ(jwks.status, 200);
  EXPECT_EQ(jwt_header(token)["kid"], jwks.json["keys"][0]["kid"]);
  EXPECT_EQ(jwt_header(token)["alg"], "RS256");
}

TEST_F(FederatedCredentialsTest, MatchingClusterTokenSignsInTheApplication) {
  Answer const answer = exchange(cluster_token(), k_federated_client);
  ASSERT_EQ(answer.status, 200) << answer.text;
  std::string const access_token = answer.json["access_token"];
  EXPECT_EQ(jwt_claims(access_token)["oid"], k_federated_object);
  EXPECT_EQ(arm_as(access_token, "GET", cluster_path() + "?api-version=2024-09-01").status, 200);
}

TEST_F(FederatedCredentialsTest, MismatchesNameTheClaimThatDiffers) {
  expect_code(
      exchange(cluster_token("system:serviceaccount:ci:other"), k_federated_client), 400, 700213);
  expect_code(
      exchange(cluster_token(k_ci_subject, "api://other"), k_federated_client), 400, 700212);
  Answer const none = exchange(cluster_token(), k_demo_client);
  expect_code(none, 400, 70021);
  EXPECT_NE(none.json["error_description"].get<std::string>().find(k_ci_subject),
            std::string::npos);
}

TEST_F(FederatedCredentialsTest, ExpiredAndForgedTokensAreRefused) {
  expect_code(exchange(cluster_token(k_ci_subject, k_exchange_audience, -60), k_federated_client),
              401,
              700024);
  std::string const token = cluster_token();
  nlohmann::json claims = jwt_claims(token);
  claims["exp"] = claims["exp"].get<long long>() + 3600;
  std::string const forged = token.substr(0, token.find('.') + 1) +
                             base64url_encode(claims.dump()) + token.substr(token.rfind('.'));
  expect_code(exchange(forged, k_federated_client), 401, 700027);
  expect_code(exchange("a.b", k_federated_client), 400, 50027);
}

TEST_F(FederatedCredentialsTest, GitHubJobTokenSignsInTheApplication) {
  nlohmann::json const ready =
      nlohmann::json::parse(std::ifstream{m_options.state_dir / "ready.json"}, nullptr, false);
  std::string const request_token = ready.value("github_request_token", "");
  ASSERT_FALSE(request_token.empty());
  EXPECT_EQ(ready["github_issuer"], m_simulator->base_url() + "/github/");
  EXPECT_EQ(ready["github_token_url"], m_simulator->base_url() + "/github/token?api-version=2.0");

  Answer const job = github_token(request_token, k_exchange_audience);
  ASSERT_EQ(job.status, 200) << job.text;
  std::string const value = job.json["value"];
  nlohmann::json const claims = jwt_claims(value);
  EXPECT_EQ(claims["iss"], m_simulator->base_url() + "/github/");
  EXPECT_EQ(claims["sub"], k_github_subject);
  EXPECT_EQ(claims["aud"], k_exchange_audience);
  EXPECT_EQ(claims["repository"], "contoso/app");

  Answer const answer = exchange(value, k_federated_client);
  ASSERT_EQ(answer.status, 200) << answer.text;
  EXPECT_EQ(jwt_claims(answer.json["access_token"].get<std::string>())["oid"], k_federated_object);

  EXPECT_EQ(github_token("wrong", k_exchange_audience).status, 401);
  EXPECT_EQ(send("GET", "/github/token?audience=x").status, 401);
  Answer const default_audience = github_token(request_token, "");
  EXPECT_EQ(jwt_claims(default_audience.json["value"].get<std::string>())["aud"],
            "https://github.com/contoso");
}

TEST_F(FederatedCredentialsTest, GitHubIssuerServesDiscoveryAndJwks) {
  Answer const discovery = send("GET", "/github/.well-known/openid-configuration");
  ASSERT_EQ(discovery.status, 200);
  EXPECT_EQ(discovery.json["issuer"], m_simulator->base_url() + "/github/");
  EXPECT_EQ(discovery.json["jwks_uri"], m_simulator->base_url() + "/github/.well-known/jwks");
  Answer const jwks = send("GET", "/github/.well-known/jwks");
  ASSERT_EQ(jwks.status, 200);
  Answer const minted =
      mint({{"issuer", "github"}, {"subject", "repo:contoso/app:environment:prod"}});
  ASSERT_EQ(minted.status, 200) << minted.text;
  EXPECT_EQ(jwt_header(minted.json["token"].get<std::string>())["kid"],
            jwks.json["keys"][0]["kid"]);
  // A GitHub token from another branch matches no subject.
  expect_code(exchange(minted.json["token"].get<std::string>(), k_federated_client), 400, 700213);
}

TEST_F(FederatedCredentialsTest, MintingNeedsAnEnabledIssuer) {
  Answer const disabled = mint({{"issuer", "cluster:myAKSCluster"}, {"subject", "s"}});
  EXPECT_EQ(disabled.status, 400);
  EXPECT_NE(disabled.json["error"].get<std::string>().find("not enabled"), std::string::npos);
  EXPECT_EQ(mint({{"issuer", "cluster:nope"}, {"subject", "s"}}).status, 400);
  EXPECT_EQ(mint({{"issuer", "github"}}).status, 400) << "subject is required";
  EXPECT_EQ(
      mint({{"issuer", "https://token.actions.githubusercontent.com"}, {"subject", "s"}}).status,
      400);
  EXPECT_EQ(mint({{"issuer", "cluster:myResourceGroup/myOidcCluster"}, {"subject", "s"}}).status,
            200);
}

TEST_F(FederatedCredentialsTest, UserAssignedIdentityCredentialsSignInTheIdentity) {
  std::string const identity = identity_path("pod-identity");
  Answer const created = arm("PUT", identity + "?api-version=2023-01-31", {{"location", "eastus"}});
  ASSERT_EQ(created.status, 201) << created.text;
  std::string const client_id = created.json["properties"]["clientId"];
  std::string const principal_id = created.json["properties"]["principalId"];
  Answer const credential =
      arm("PUT",
          identity + "/federatedIdentityCredentials/ci-deployer?api-version=2023-01-31",
          {{"properties",
            {{"issuer", issuer_of("myOidcCluster")},
             {"subject", "system:serviceaccount:app:web"},
             {"audiences", {k_exchange_audience}}}}});
  ASSERT_EQ(credential.status, 201) << credential.text;

  Answer const answer = exchange(cluster_token("system:serviceaccount:app:web"), client_id);
  ASSERT_EQ(answer.status, 200) << answer.text;
  std::string const access_token = answer.json["access_token"];
  nlohmann::json const claims = jwt_claims(access_token);
  EXPECT_EQ(claims["oid"], principal_id);
  EXPECT_EQ(claims["appid"], client_id);
  EXPECT_NE(claims["xms_mirid"].get<std::string>().find("pod-identity"), std::string::npos);
  // Identities created at run time get no ARM rights unless the seed grants them.
  Answer const denied = arm_as(access_token, "GET", cluster_path() + "?api-version=2024-09-01");
  EXPECT_EQ(denied.status, 403) << denied.text;
  EXPECT_EQ(denied.json["error"]["code"], "AuthorizationFailed");

  Answer const github = mint({{"issuer", "github"}, {"subject", "system:serviceaccount:app:web"}});
  expect_code(exchange(github.json["token"].get<std::string>(), client_id), 400, 700211);
}

TEST_F(FederatedCredentialsTest, SeedCanGrantEveryIdentityArmRights) {
  nlohmann::json seed = state();
  seed["servicePrincipals"][0]["clientSecret"] = k_demo_secret;
  seed["managedIdentityAccess"]["*"] = {{"readerOnly", true}};
  ASSERT_EQ(send("PUT", "/_sim/state", seed.dump(), "application/json").status, 200);
  std::string const identity = identity_path("reader-identity");
  Answer const created = arm("PUT", identity + "?api-version=2023-01-31", {{"location", "eastus"}});
  ASSERT_EQ(created.status, 201);
  ASSERT_EQ(arm("PUT",
                identity + "/federatedIdentityCredentials/ci-deployer?api-version=2023-01-31",
                {{"properties",
                  {{"issuer", issuer_of("myOidcCluster")},
                   {"subject", k_ci_subject},
                   {"audiences", {k_exchange_audience}}}}})
                .status,
            201);
  Answer const answer =
      exchange(cluster_token(), created.json["properties"]["clientId"].get<std::string>());
  ASSERT_EQ(answer.status, 200) << answer.text;
  std::string const access_token = answer.json["access_token"];
  EXPECT_EQ(arm_as(access_token, "GET", cluster_path() + "?api-version=2024-09-01").status, 200);
  EXPECT_EQ(arm_as(access_token, "PATCH", cluster_path() + "?api-version=2024-09-01").status, 403)
      << "reader only";
}

} // namespace federated_credentials_test
} // namespace wisetup::sim::testing
