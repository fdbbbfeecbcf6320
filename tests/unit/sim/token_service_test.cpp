#include "sim_fixture.hpp"

namespace wisetup::sim::testing {
namespace {

using TokenServiceTest = SimFixture;

TEST_F(TokenServiceTest, IssuesBearerTokenForClientSecret) {
  Answer const answer = request_token(k_demo_client, k_demo_secret);
  ASSERT_EQ(answer.status, 200) << answer.text;
  EXPECT_EQ(answer.json["token_type"], "Bearer");
  EXPECT_EQ(answer.json["expires_in"], 3600);
  EXPECT_EQ(answer.json["ext_expires_in"], 3600);
  std::string const token = answer.json["access_token"];
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2) << "JWT-shaped";
  std::string const claims =
      token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  std::string padded = claims;
  std::replace(padded.begin(), padded.end(), '-', '+');
  std::replace(padded.begin(), padded.end(), '_', '/');
  auto const decoded = nlohmann::json::parse(base64_decode(padded));
  EXPECT_EQ(decoded["aud"], "https://management.core.windows.net/");
  EXPECT_EQ(decoded["tid"], k_tenant);
  EXPECT_EQ(decoded["oid"], k_demo_object);
}

TEST_F(TokenServiceTest, WrongSecretIsInvalidClient7000215) {
  Answer const answer = request_token(k_demo_client, "not-the-secret");
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.json["error"], "invalid_client");
  EXPECT_EQ(answer.json["error_codes"], nlohmann::json::array({7000215}));
  std::string const description = answer.json["error_description"];
  EXPECT_EQ(description.rfind("AADSTS7000215: Invalid client secret provided.", 0), 0u);
  EXPECT_EQ(description.find("not-the-secret"), std::string::npos) << "never echo a secret";
  for (char const* field : {"timestamp", "trace_id", "correlation_id"}) {
    EXPECT_TRUE(answer.json.contains(field)) << field;
  }
}

TEST_F(TokenServiceTest, UnknownClientTenantAndScopeUseEntraCodes) {
  Answer const unknown_client = request_token("dddddddd-0000-4000-8000-000000000009", "x");
  EXPECT_EQ(unknown_client.status, 400);
  EXPECT_EQ(unknown_client.json["error_codes"][0], 700016);

  Answer const unknown_tenant = request_token(
      k_demo_client, k_demo_secret, k_arm_scope, "99999999-0000-4000-8000-000000000000");
  EXPECT_EQ(unknown_tenant.status, 400);
  EXPECT_EQ(unknown_tenant.json["error_codes"][0], 90002);

  Answer const bad_scope = request_token(
      k_demo_client, k_demo_secret, "https://management.azure.com/user_impersonation");
  EXPECT_EQ(bad_scope.status, 400);
  EXPECT_EQ(bad_scope.json["error"], "invalid_scope");
  EXPECT_EQ(bad_scope.json["error_codes"][0], 70011);

  Answer const unknown_resource =
      request_token(k_demo_client, k_demo_secret, "https://vault.example/.default");
  EXPECT_EQ(unknown_resource.status, 400);
  EXPECT_EQ(unknown_resource.json["error_codes"][0], 500011);
}

TEST_F(TokenServiceTest, RejectsOtherGrantTypes) {
  Answer const answer = send("POST",
                             std::string("/") + k_tenant + "/oauth2/v2.0/token",
                             "grant_type=password&client_id=x",
                             "application/x-www-form-urlencoded");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.json["error"], "unsupported_grant_type");
}

TEST_F(TokenServiceTest, AcceptsBothArmAudiencesAndGraph) {
  EXPECT_EQ(
      request_token(k_demo_client, k_demo_secret, "https://management.azure.com/.default").status,
      200);
  EXPECT_EQ(
      request_token(k_demo_client, k_demo_secret, "https://graph.microsoft.com/.default").status,
      200);
}

TEST_F(TokenServiceTest, DiscoveryDocumentsPointAtTheTokenEndpoint) {
  Answer const tenant =
      send("GET", std::string("/") + k_tenant + "/v2.0/.well-known/openid-configuration");
  ASSERT_EQ(tenant.status, 200);
  EXPECT_EQ(tenant.json["token_endpoint"],
            m_simulator->base_url() + "/" + k_tenant + "/oauth2/v2.0/token");
  Answer const adfs = send("GET", "/adfs/.well-known/openid-configuration");
  ASSERT_EQ(adfs.status, 200);
  EXPECT_EQ(adfs.json["token_endpoint"], m_simulator->base_url() + "/adfs/oauth2/v2.0/token");
}

TEST_F(TokenServiceTest, TokenRequestsAreLoggedWithoutBodies) {
  (void)request_token(k_demo_client, k_demo_secret);
  nlohmann::json const log = send("GET", "/_sim/requests").json;
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["service"], "token");
  EXPECT_EQ(log[0]["write"], false);
  EXPECT_EQ(log.dump().find(k_demo_secret), std::string::npos);
}

class ShortTokenTest : public SimFixture {
  void configure(Options& options) override { options.token_lifetime = Seconds{90.5}; }
};

TEST_F(ShortTokenTest, LifetimeFlagSetsExpiresIn) {
  Answer const answer = request_token(k_demo_client, k_demo_secret);
  EXPECT_EQ(answer.json["expires_in"], 91);
}

} // namespace
} // namespace wisetup::sim::testing
