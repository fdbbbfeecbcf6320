// Client credentials with a certificate assertion (reference section 7.2), signed with the
// seed's fixture sim/seed/cert-principal.pem as wi-setup would sign it.
#include "assertion_signer.hpp"
#include "sim/encoding.hpp"
#include "sim/random_values.hpp"
#include "sim_fixture.hpp"

#include <chrono>

namespace wisetup::sim::testing {
namespace {

constexpr char const* k_jwt_bearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

long long now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class ClientCertificateTest : public SimFixture {
protected:
  void SetUp() override {
    SimFixture::SetUp();
    m_signer = std::make_unique<AssertionSigner>(
        AssertionSigner::from_pem_file(source_file("sim/seed/cert-principal.pem")));
  }

  std::string token_url() const {
    return m_simulator->base_url() + "/" + k_tenant + "/oauth2/v2.0/token";
  }

  nlohmann::json claims(long long lifetime = 600) const {
    long long const now = now_seconds();
    return {{"aud", token_url()},
            {"iss", k_cert_client},
            {"sub", k_cert_client},
            {"jti", new_guid()},
            {"nbf", now},
            {"iat", now},
            {"exp", now + lifetime}};
  }

  nlohmann::json header() const {
    return {{"typ", "JWT"}, {"x5t", m_signer->x5t()}, {"x5t#S256", m_signer->x5t_s256()}};
  }

  Answer exchange(std::string const& assertion,
                  std::string const& client_id = k_cert_client,
                  std::string const& scope = k_arm_scope) {
    return post_form(std::string("/") + k_tenant + "/oauth2/v2.0/token",
                     {{"grant_type", "client_credentials"},
                      {"client_id", client_id},
                      {"scope", scope},
                      {"client_assertion_type", k_jwt_bearer},
                      {"client_assertion", assertion}});
  }

  static void expect_code(Answer const& answer, int status, std::string const& error, int code) {
    EXPECT_EQ(answer.status, status) << answer.text;
    EXPECT_EQ(answer.json["error"], error) << answer.text;
    EXPECT_EQ(answer.json["error_codes"], nlohmann::json::array({code})) << answer.text;
    EXPECT_EQ(answer.json["error_description"].get<std::string>().rfind(
                  "AADSTS" + std::to_string(code) + ": ", 0),
              0u)
        << answer.text;
  }

  std::unique_ptr<AssertionSigner> m_signer;
};

TEST_F(ClientCertificateTest, SignedAssertionSignsInAndItsTokenCallsArm) {
  Answer const answer = exchange(m_signer->sign(header(), claims()));
  ASSERT_EQ(answer.status, 200) << answer.text;
  std::string const access_token = answer.json["access_token"];
  nlohmann::json const token_claims = jwt_claims(access_token);
  EXPECT_EQ(token_claims["oid"], k_cert_object);
  EXPECT_EQ(token_claims["appid"], k_cert_client);
  EXPECT_EQ(token_claims["appidacr"], "2") << "certificate sign-in";
  EXPECT_EQ(arm_as(access_token, "GET", cluster_path() + "?api-version=2024-09-01").status, 200);
}

TEST_F(ClientCertificateTest, EitherThumbprintHeaderAndPs256AndTheV1AudienceAreAccepted) {
  EXPECT_EQ(exchange(m_signer->sign({{"x5t", m_signer->x5t()}}, claims())).status, 200);
  EXPECT_EQ(exchange(m_signer->sign({{"x5t#S256", m_signer->x5t_s256()}}, claims())).status, 200);
  EXPECT_EQ(exchange(m_signer->sign(header(), claims(), "PS256")).status, 200);
  nlohmann::json v1 = claims();
  v1["aud"] = m_simulator->base_url() + "/" + k_tenant + "/oauth2/token";
  EXPECT_EQ(exchange(m_signer->sign(header(), v1)).status, 200);
}

TEST_F(ClientCertificateTest, UnregisteredCertificateIs700027) {
  AssertionSigner const stranger = AssertionSigner::generate();
  Answer const answer = exchange(
      stranger.sign({{"x5t", stranger.x5t()}, {"x5t#S256", stranger.x5t_s256()}}, claims()));
  expect_code(answer, 401, "invalid_client", 700027);
  EXPECT_NE(answer.json["error_description"].get<std::string>().find("not registered"),
            std::string::npos);
  EXPECT_EQ(answer.text.find(stranger.x5t_s256()), std::string::npos)
      << "the thumbprint is shown in hex, as Entra does";

  // A stranger's signature under the registered certificate's thumbprint.
  expect_code(exchange(stranger.sign(header(), claims())), 401, "invalid_client", 700027);
  // No thumbprint at all.
  expect_code(exchange(m_signer->sign({{"typ", "JWT"}}, claims())), 401, "invalid_client", 700027);
}

TEST_F(ClientCertificateTest, TamperedClaimsFailSignatureValidation) {
  std::string const assertion = m_signer->sign(header(), claims());
  nlohmann::json altered = claims();
  altered["exp"] = now_seconds() + 1200;
  std::string const forged = assertion.substr(0, assertion.find('.') + 1) +
                             base64url_encode(altered.dump()) +
                             assertion.substr(assertion.rfind('.'));
  expect_code(exchange(forged), 401, "invalid_client", 700027);
}

TEST_F(ClientCertificateTest, TimeRangeIsCheckedWithSkewOnNotBefore) {
  expect_code(exchange(m_signer->sign(header(), claims(-30))), 401, "invalid_client", 700024);
  expect_code(exchange(m_signer->sign(header(), claims(3700))), 401, "invalid_client", 700024);
  nlohmann::json early = claims();
  early["nbf"] = now_seconds() + 600;
  early["exp"] = now_seconds() + 900;
  expect_code(exchange(m_signer->sign(header(), early)), 401, "invalid_client", 700024);
  nlohmann::json skewed = claims();
  skewed["nbf"] = now_seconds() + 240; // within the 5 minutes Entra tolerates
  EXPECT_EQ(exchange(m_signer->sign(header(), skewed)).status, 200);
  nlohmann::json no_expiry = claims();
  no_expiry.erase("exp");
  expect_code(exchange(m_signer->sign(header(), no_expiry)), 400, "invalid_request", 50027);
}

TEST_F(ClientCertificateTest, AudienceAndSubjectMustBeExact) {
  nlohmann::json other_audience = claims();
  other_audience["aud"] =
      "https://login.microsoftonline.com/" + std::string(k_tenant) + "/oauth2/v2.0/token";
  Answer const answer = exchange(m_signer->sign(header(), other_audience));
  expect_code(answer, 400, "invalid_request", 50027);
  EXPECT_NE(answer.json["error_description"].get<std::string>().find(token_url()),
            std::string::npos)
      << "names the audience to use";
  nlohmann::json trailing_slash = claims();
  trailing_slash["aud"] = token_url() + "/";
  expect_code(exchange(m_signer->sign(header(), trailing_slash)), 400, "invalid_request", 50027);
  nlohmann::json other_subject = claims();
  other_subject["sub"] = k_demo_client;
  expect_code(exchange(m_signer->sign(header(), other_subject)), 400, "invalid_request", 50027);
}

TEST_F(ClientCertificateTest, MalformedRequestsUseEntraCodes) {
  expect_code(exchange("not-a-jwt"), 400, "invalid_request", 50027);
  expect_code(exchange(m_signer->sign(header(), claims()), "dddddddd-0000-4000-8000-000000000009"),
              400,
              "unauthorized_client",
              700016);
  Answer const wrong_type =
      post_form(std::string("/") + k_tenant + "/oauth2/v2.0/token",
                {{"grant_type", "client_credentials"},
                 {"client_id", k_cert_client},
                 {"scope", k_arm_scope},
                 {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2"},
                 {"client_assertion", m_signer->sign(header(), claims())}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(wrong_type.json["error"], "invalid_request");
  Answer const both = post_form(std::string("/") + k_tenant + "/oauth2/v2.0/token",
                                {{"grant_type", "client_credentials"},
                                 {"client_id", k_cert_client},
                                 {"scope", k_arm_scope},
                                 {"client_secret", "x"},
                                 {"client_assertion_type", k_jwt_bearer},
                                 {"client_assertion", m_signer->sign(header(), claims())}});
  EXPECT_EQ(both.status, 400);
  // The certificate principal has no secret.
  EXPECT_EQ(request_token(k_cert_client, "guess").json["error_codes"][0], 7000215);
}

TEST_F(ClientCertificateTest, AssertionIsNeverEchoed) {
  std::string const assertion = m_signer->sign(header(), claims(-30));
  Answer const answer = exchange(assertion);
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.text.find(assertion.substr(assertion.rfind('.') + 1)), std::string::npos);
}

class ShortCertificateTokenTest : public ClientCertificateTest {
  void configure(Options& options) override { options.token_lifetime = Seconds{90.5}; }
};

TEST_F(ShortCertificateTokenTest, LifetimeFlagAppliesToCertificateTokens) {
  Answer const answer = exchange(m_signer->sign(header(), claims()));
  EXPECT_EQ(answer.json["expires_in"], 91);
}

} // namespace
} // namespace wisetup::sim::testing
