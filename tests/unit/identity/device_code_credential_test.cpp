#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/identity/device_code_credential.hpp>

#include <gtest/gtest.h>

namespace wisetup::identity {
namespace device_code_credential_test {

using namespace std::chrono_literals;
using testing::FakeTransport;
using testing::ManualClock;

constexpr char const* k_arm_scope = "https://management.azure.com/.default";
constexpr char const* k_client = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
constexpr char const* k_devicecode_url =
    "https://login.test/contoso.onmicrosoft.com/oauth2/v2.0/devicecode";
constexpr char const* k_token_url = "https://login.test/contoso.onmicrosoft.com/oauth2/v2.0/token";
constexpr char const* k_poll_body =
    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
    "&client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46&device_code=CANARY-device-code";
constexpr char const* k_message = "To sign in, use a web browser to open the page "
                                  "https://microsoft.com/devicelogin and enter the code ABCD1234 "
                                  "to authenticate.";

std::string device_code(int expires_in = 900, int interval = 5) {
  return R"({"device_code":"CANARY-device-code","user_code":"ABCD1234",)"
         R"("verification_uri":"https://microsoft.com/devicelogin","expires_in":)" +
         std::to_string(expires_in) + R"(,"interval":)" + std::to_string(interval) +
         R"(,"message":")" + k_message + "\"}";
}

std::string entra_error(std::string const& error, std::string const& description = "AADSTS1: x") {
  return R"({"error":")" + error + R"(","error_description":")" + description +
         R"(","error_codes":[],"trace_id":"t","correlation_id":"c"})";
}

constexpr char const* k_token = R"({"token_type":"Bearer","expires_in":3599,)"
                                R"("access_token":"user-token","refresh_token":"CANARY-refresh"})";

class DeviceCodeCredentialTest : public ::testing::Test {
protected:
  [[nodiscard]] DeviceCodeCredential credential(std::string tenant = "contoso.onmicrosoft.com") {
    return DeviceCodeCredential{
        "https://login.test/",
        std::move(tenant),
        k_client,
        [this](std::string_view message) { m_prompts.emplace_back(message); },
        m_transport,
        m_clock};
  }

  std::string auth_error(DeviceCodeCredential const& credential) {
    try {
      (void)credential.get_token(k_arm_scope);
    } catch (core::AuthenticationError const& error) {
      std::string message = error.what();
      EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
      return message;
    }
    ADD_FAILURE() << "expected AuthenticationError";
    return {};
  }

  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
  std::vector<std::string> m_prompts;
};

TEST_F(DeviceCodeCredentialTest, ShowsTheMessageAndPollsUntilTheUserSignsIn) {
  m_transport->respond_json(200, device_code());
  m_transport->respond_json(400, entra_error("authorization_pending", "AADSTS70016: pending"));
  m_transport->respond_json(200, k_token);
  auto const token = credential().get_token(k_arm_scope);

  EXPECT_EQ(token.token, "user-token");
  EXPECT_EQ(token.expires_on, m_clock->wall_now() + 3599s);
  EXPECT_EQ(m_prompts, std::vector<std::string>{k_message});
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[0].method, http::Method::Post);
  EXPECT_EQ(requests[0].url, k_devicecode_url);
  EXPECT_EQ(requests[0].headers.get("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(requests[0].body,
            "client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46"
            "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default%20offline_access");
  for (std::size_t i = 1; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].method, http::Method::Post);
    EXPECT_EQ(requests[i].url, k_token_url);
    EXPECT_EQ(requests[i].body, k_poll_body);
    EXPECT_FALSE(requests[i].headers.contains("Authorization"));
  }
  EXPECT_EQ(m_clock->sleeps(), (std::vector<std::chrono::milliseconds>{5s, 5s}));
}

TEST_F(DeviceCodeCredentialTest, SlowDownAddsFiveSecondsToTheInterval) {
  m_transport->respond_json(200, device_code(900, 3));
  m_transport->respond_json(400, entra_error("authorization_pending"));
  m_transport->respond_json(400, entra_error("slow_down"));
  m_transport->respond_json(400, entra_error("authorization_pending"));
  m_transport->respond_json(400, entra_error("slow_down"));
  m_transport->respond_json(200, k_token);
  (void)credential().get_token(k_arm_scope);
  EXPECT_EQ(m_clock->sleeps(), (std::vector<std::chrono::milliseconds>{3s, 3s, 8s, 8s, 13s}));
}

TEST_F(DeviceCodeCredentialTest, AnExpiredCodeStopsAtOnce) {
  m_transport->respond_json(200, device_code());
  m_transport->respond_json(400, entra_error("authorization_pending"));
  m_transport->respond_json(400, entra_error("expired_token", "AADSTS70020: expired"));
  auto const message = auth_error(credential());
  EXPECT_NE(message.find("the device code expired"), std::string::npos) << message;
  EXPECT_NE(message.find("within 15 minutes"), std::string::npos) << message;
  EXPECT_EQ(m_transport->requests().size(), 3U);
  EXPECT_EQ(m_clock->sleeps().size(), 2U);
}

TEST_F(DeviceCodeCredentialTest, DeclinedAndBadCodesStop) {
  m_transport->respond_json(200, device_code());
  m_transport->respond_json(400, entra_error("authorization_declined"));
  EXPECT_NE(auth_error(credential()).find("declined"), std::string::npos);
  m_transport->respond_json(200, device_code());
  m_transport->respond_json(400, entra_error("bad_verification_code"));
  EXPECT_NE(auth_error(credential()).find("did not recognise the device code"), std::string::npos);
  EXPECT_EQ(m_transport->pending(), 0U);
}

TEST_F(DeviceCodeCredentialTest, GivesUpWhenTheCodesLifetimeHasPassed) {
  m_transport->respond_json(200, device_code(12, 5));
  m_transport->respond_json(400, entra_error("authorization_pending"));
  m_transport->respond_json(400, entra_error("authorization_pending"));
  auto const message = auth_error(credential());
  EXPECT_NE(message.find("nobody completed the device code sign-in within 12 seconds"),
            std::string::npos)
      << message;
  // Polled at 5 s and 10 s; the next poll (15 s) would come after the code expired (12 s).
  EXPECT_EQ(m_clock->sleeps(), (std::vector<std::chrono::milliseconds>{5s, 5s}));
  EXPECT_EQ(m_transport->requests().size(), 3U);
}

TEST_F(DeviceCodeCredentialTest, ARefusedStartNamesTheCodeAndTheFix) {
  m_transport->respond_json(
      400,
      R"({"error":"invalid_client","error_description":"AADSTS7000218: The request body must )"
      R"(contain the following parameter: 'client_assertion' or 'client_secret'.\r\nTrace ID: 1",)"
      R"("error_codes":[7000218]})");
  auto const message = auth_error(credential());
  EXPECT_EQ(message.rfind("Microsoft Entra (https://login.test) refused to start a device code "
                          "sign-in for client id 04b07795-8ddb-461a-bbee-02f9e1bf7b46 in tenant "
                          "contoso.onmicrosoft.com: AADSTS7000218 The request body must contain",
                          0),
            0U)
      << message;
  EXPECT_NE(message.find("Allow public client flows"), std::string::npos) << message;
  EXPECT_EQ(message.find("Trace ID"), std::string::npos) << message;
  EXPECT_TRUE(m_prompts.empty());
}

TEST_F(DeviceCodeCredentialTest, OtherScopesUseTheRefreshTokenWithoutPromptingAgain) {
  m_transport->respond_json(200, device_code());
  m_transport->respond_json(200, k_token);
  m_transport->respond_json(
      200, R"({"expires_in":3000,"access_token":"graph-token","refresh_token":"CANARY-rotated"})");
  m_transport->respond_json(200, R"({"expires_in":3000,"access_token":"aks-token"})");
  auto const cred = credential();
  (void)cred.get_token(k_arm_scope);
  auto const graph = cred.get_token("https://graph.microsoft.com/.default");
  auto const aks = cred.get_token("6dae42f8-4368-4678-94ff-3960e28e3630/.default");

  EXPECT_EQ(graph.token, "graph-token");
  EXPECT_EQ(aks.token, "aks-token");
  EXPECT_EQ(m_prompts.size(), 1U);
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 4U);
  EXPECT_EQ(requests[2].url, k_token_url);
  EXPECT_EQ(requests[2].body,
            "grant_type=refresh_token&client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46"
            "&refresh_token=CANARY-refresh"
            "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default%20offline_access");
  // Entra rotates refresh tokens: the newest one is used.
  EXPECT_NE(requests[3].body.find("&refresh_token=CANARY-rotated&"), std::string::npos)
      << requests[3].body;
}

TEST_F(DeviceCodeCredentialTest, ARefusedRefreshTokenMeansSigningInAgain) {
  m_transport->respond_json(200, device_code());
  m_transport->respond_json(200, k_token);
  m_transport->respond_json(400, entra_error("invalid_grant", "AADSTS65001: consent required"));
  m_transport->respond_json(200, device_code());
  m_transport->respond_json(200, R"({"expires_in":3000,"access_token":"graph-token"})");
  auto const cred = credential();
  (void)cred.get_token(k_arm_scope);
  EXPECT_EQ(cred.get_token("https://graph.microsoft.com/.default").token, "graph-token");
  EXPECT_EQ(m_prompts.size(), 2U);
  EXPECT_EQ(m_transport->requests()[3].url, k_devicecode_url);
}

TEST_F(DeviceCodeCredentialTest, WithoutATenantSignsInThroughOrganizations) {
  m_transport->respond_json(200, device_code());
  m_transport->respond_json(200, k_token);
  auto const cred = credential("");
  (void)cred.get_token(k_arm_scope);
  EXPECT_EQ(m_transport->requests()[0].url,
            "https://login.test/organizations/oauth2/v2.0/devicecode");
  EXPECT_EQ(cred.describe(),
            "device code sign-in (client id 04b07795-8ddb-461a-bbee-02f9e1bf7b46, tenant "
            "organizations)");
}

TEST_F(DeviceCodeCredentialTest, AMissingMessageIsComposedFromTheCodeAndTheUrl) {
  m_transport->respond_json(
      200,
      R"({"device_code":"d","user_code":"XY12","verification_uri":)"
      R"("https://microsoft.com/devicelogin","expires_in":900,"interval":1})");
  m_transport->respond_json(200, k_token);
  (void)credential().get_token(k_arm_scope);
  ASSERT_EQ(m_prompts.size(), 1U);
  EXPECT_NE(m_prompts[0].find("https://microsoft.com/devicelogin"), std::string::npos);
  EXPECT_NE(m_prompts[0].find("XY12"), std::string::npos);
  EXPECT_EQ(m_clock->sleeps(), (std::vector<std::chrono::milliseconds>{1s}));
}

} // namespace device_code_credential_test
} // namespace wisetup::identity
