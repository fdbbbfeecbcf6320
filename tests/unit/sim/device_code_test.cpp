// Device code sign-in (reference section 7.4) and the refresh tokens it hands out.
#include "sim_fixture.hpp"

#include <chrono>

namespace wisetup::sim::testing {
namespace {

constexpr char const* k_device_code_grant = "urn:ietf:params:oauth:grant-type:device_code";

class DeviceCodeTest : public SimFixture {
protected:
  // No minimum interval: the tests poll back to back without sleeping.
  void configure(Options& options) override { options.device_code_interval = Seconds{0}; }

  Answer start(std::string const& client_id = k_azure_cli_client,
               std::string const& tenant = "organizations",
               std::string const& scope = "https://management.azure.com//.default offline_access") {
    return post_form("/" + tenant + "/oauth2/v2.0/devicecode",
                     {{"client_id", client_id}, {"scope", scope}});
  }

  Answer poll(std::string const& device_code,
              std::string const& client_id = k_azure_cli_client,
              std::string const& tenant = "organizations") {
    return post_form("/" + tenant + "/oauth2/v2.0/token",
                     {{"grant_type", k_device_code_grant},
                      {"client_id", client_id},
                      {"device_code", device_code}});
  }

  Answer decide(std::string const& verb, nlohmann::json const& body) {
    return send("POST", "/_sim/devicecode/" + verb, body.dump(), "application/json");
  }
};

TEST_F(DeviceCodeTest, StartAnswersTheCodesAndTheMessage) {
  Answer const answer = start();
  ASSERT_EQ(answer.status, 200) << answer.text;
  std::string const user_code = answer.json["user_code"];
  EXPECT_EQ(user_code.size(), 9u);
  EXPECT_FALSE(answer.json["device_code"].get<std::string>().empty());
  EXPECT_EQ(answer.json["verification_uri"], m_simulator->base_url() + "/devicelogin");
  EXPECT_EQ(answer.json["expires_in"], 900);
  EXPECT_NE(answer.json["message"].get<std::string>().find(user_code), std::string::npos);
  EXPECT_EQ(send("GET", "/devicelogin").status, 200);
  nlohmann::json const listed = send("GET", "/_sim/devicecode").json;
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["user_code"], user_code);
  EXPECT_EQ(listed[0]["status"], "pending");
  EXPECT_EQ(listed.dump().find(answer.json["device_code"].get<std::string>()), std::string::npos)
      << "the device code is the client's secret";
}

TEST_F(DeviceCodeTest, PendingUntilApprovedThenTheUsersTokenAndARefreshToken) {
  Answer const started = start();
  std::string const device_code = started.json["device_code"];
  Answer const pending = poll(device_code);
  EXPECT_EQ(pending.status, 400);
  EXPECT_EQ(pending.json["error"], "authorization_pending");
  EXPECT_EQ(pending.json["error_codes"][0], 70016);

  Answer const approved =
      decide("approve", {{"user_code", started.json["user_code"].get<std::string>()}});
  ASSERT_EQ(approved.status, 200) << approved.text;
  Answer const token = poll(device_code);
  ASSERT_EQ(token.status, 200) << token.text;
  std::string const access_token = token.json["access_token"];
  nlohmann::json const claims = jwt_claims(access_token);
  EXPECT_EQ(claims["oid"], k_operator_object);
  EXPECT_EQ(claims["upn"], "operator@contoso.example");
  EXPECT_EQ(claims["idtyp"], "user");
  EXPECT_EQ(claims["appid"], k_azure_cli_client);
  EXPECT_EQ(claims["aud"], "https://management.azure.com/");
  EXPECT_FALSE(token.json["refresh_token"].get<std::string>().empty());
  EXPECT_EQ(arm_as(access_token, "GET", cluster_path() + "?api-version=2024-09-01").status, 200);

  Answer const again = poll(device_code);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.json["error"], "invalid_grant") << "a device code is redeemed once";
}

TEST_F(DeviceCodeTest, RefreshTokenGivesTokensForOtherScopes) {
  Answer const started = start();
  ASSERT_EQ(decide("approve",
                   {{"user_code", started.json["user_code"].get<std::string>()},
                    {"user", "operator@contoso.example"}})
                .status,
            200);
  std::string const refresh_token = poll(started.json["device_code"]).json["refresh_token"];
  Answer const aks = post_form("/organizations/oauth2/v2.0/token",
                               {{"grant_type", "refresh_token"},
                                {"client_id", k_azure_cli_client},
                                {"refresh_token", refresh_token},
                                {"scope", std::string(k_aks_scope) + " offline_access"}});
  ASSERT_EQ(aks.status, 200) << aks.text;
  EXPECT_EQ(jwt_claims(aks.json["access_token"].get<std::string>())["aud"],
            "6dae42f8-4368-4678-94ff-3960e28e3630");
  EXPECT_FALSE(aks.json["refresh_token"].get<std::string>().empty());

  Answer const other_client = post_form("/organizations/oauth2/v2.0/token",
                                        {{"grant_type", "refresh_token"},
                                         {"client_id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a"},
                                         {"refresh_token", refresh_token},
                                         {"scope", k_arm_scope}});
  EXPECT_EQ(other_client.status, 400);
  EXPECT_EQ(other_client.json["error"], "invalid_grant");
  Answer const unknown = post_form("/organizations/oauth2/v2.0/token",
                                   {{"grant_type", "refresh_token"},
                                    {"client_id", k_azure_cli_client},
                                    {"refresh_token", "0.not-issued"},
                                    {"scope", k_arm_scope}});
  EXPECT_EQ(unknown.json["error"], "invalid_grant");
}

TEST_F(DeviceCodeTest, DeclinedUnknownAndExpiredCodesStopThePolling) {
  Answer const started = start();
  ASSERT_EQ(decide("decline", {{"user_code", started.json["user_code"].get<std::string>()}}).status,
            200);
  EXPECT_EQ(poll(started.json["device_code"]).json["error"], "authorization_declined");
  EXPECT_EQ(decide("approve", {{"user_code", started.json["user_code"].get<std::string>()}}).status,
            409)
      << "already decided";
  EXPECT_EQ(decide("approve", {{"user_code", "NOSUCHCOD"}}).status, 404);
  EXPECT_EQ(poll("unknown-device-code").json["error"], "bad_verification_code");
  Answer const other_client =
      poll(start().json["device_code"], "80faf920-1908-4b52-b5ef-a8e7bedfc67a");
  EXPECT_EQ(other_client.json["error"], "invalid_grant");
}

TEST_F(DeviceCodeTest, OnlyKnownPublicClientsMayStart) {
  Answer const confidential = start(k_demo_client);
  EXPECT_EQ(confidential.status, 401);
  EXPECT_EQ(confidential.json["error_codes"][0], 7000218);
  Answer const unknown = start("dddddddd-0000-4000-8000-000000000009");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json["error_codes"][0], 700016);
  EXPECT_EQ(
      start(k_azure_cli_client, "99999999-0000-4000-8000-000000000000").json["error_codes"][0],
      90002);
  EXPECT_EQ(start(k_azure_cli_client, k_tenant).status, 200);
  EXPECT_EQ(start(k_azure_cli_client, "organizations", "https://vault.example/.default")
                .json["error_codes"][0],
            500011);
  // organizations is for users only.
  Answer const app = request_token(k_demo_client, k_demo_secret, k_arm_scope, "organizations");
  EXPECT_EQ(app.status, 400);
  EXPECT_EQ(app.json["error_codes"][0], 90002);
}

class AutoApprovingDeviceCodeTest : public DeviceCodeTest {
  void configure(Options& options) override {
    DeviceCodeTest::configure(options);
    options.device_code_auto_approve_polls = 2;
    options.token_lifetime = Seconds{90.5};
  }
};

TEST_F(AutoApprovingDeviceCodeTest, ApprovesAfterThePollsAndHonoursTheTokenLifetime) {
  std::string const device_code = start().json["device_code"];
  EXPECT_EQ(poll(device_code).json["error"], "authorization_pending");
  EXPECT_EQ(poll(device_code).json["error"], "authorization_pending");
  Answer const token = poll(device_code);
  ASSERT_EQ(token.status, 200) << token.text;
  EXPECT_EQ(token.json["expires_in"], 91);
  EXPECT_EQ(jwt_claims(token.json["access_token"].get<std::string>())["oid"], k_operator_object);
}

class SlowPollingDeviceCodeTest : public DeviceCodeTest {
  void configure(Options& options) override {
    options.device_code_interval = Seconds{30};
    options.device_code_lifetime = Seconds{0.3};
  }
};

TEST_F(SlowPollingDeviceCodeTest, PollingFasterThanTheIntervalIsSlowDownThenItExpires) {
  Answer const started = start();
  EXPECT_EQ(started.json["interval"], 30);
  EXPECT_EQ(started.json["expires_in"], 1);
  std::string const device_code = started.json["device_code"];
  Answer const fast = poll(device_code);
  EXPECT_EQ(fast.status, 400);
  EXPECT_EQ(fast.json["error"], "slow_down");
  // The sign-in expires after 0.3 s; poll (too fast, so slow_down) until it says so.
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{5};
  Answer answer = poll(device_code);
  while (answer.json["error"] == "slow_down" && std::chrono::steady_clock::now() < deadline) {
    answer = poll(device_code);
  }
  EXPECT_EQ(answer.json["error"], "expired_token");
}

} // namespace
} // namespace wisetup::sim::testing
