// The plain-HTTP managed identity endpoints (reference section 8): IMDS and App Service.
#include "sim_fixture.hpp"

#include <fstream>

namespace wisetup::sim::testing {
namespace {

// One literal: GCC 12 warns a false -Warray-bounds on std::string(literal) + literal + ... here.
constexpr char const* k_imds_query = "/metadata/identity/oauth2/token?api-version=2018-02-01&";
constexpr char const* k_imds_path = "/metadata/identity/oauth2/token";

class ManagedIdentityTest : public SimFixture {
protected:
  void SetUp() override {
    SimFixture::SetUp();
    m_imds = std::make_unique<httplib::Client>("127.0.0.1", m_simulator->imds_port());
  }
  void TearDown() override {
    m_imds.reset();
    SimFixture::TearDown();
  }

  Answer get(std::string const& path, httplib::Headers const& headers) {
    auto const result = m_imds->Get(path, headers);
    if (!result) {
      ADD_FAILURE() << path << ": " << httplib::to_string(result.error());
      return {};
    }
    return {result->status,
            result->body,
            nlohmann::json::parse(result->body, nullptr, false),
            result->headers};
  }

  Answer imds(std::string const& query, bool metadata = true) {
    httplib::Headers headers;
    if (metadata) {
      headers.emplace("Metadata", "true");
    }
    return get(k_imds_query + query, headers);
  }

  Answer app_service(std::string const& query, std::string const& header) {
    httplib::Headers headers;
    if (!header.empty()) {
      headers.emplace("X-IDENTITY-HEADER", header);
    }
    return get("/msi/token?api-version=2019-08-01&" + query, headers);
  }

  static std::string runner_id() {
    return "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/identities-rg/"
           "providers/Microsoft.ManagedIdentity/userAssignedIdentities/wi-setup-runner";
  }

  std::unique_ptr<httplib::Client> m_imds;
};

TEST_F(ManagedIdentityTest, ImdsGivesTheSystemAssignedIdentitysTokenWithStringNumbers) {
  Answer const answer = imds("resource=https%3A%2F%2Fmanagement.azure.com%2F");
  ASSERT_EQ(answer.status, 200) << answer.text;
  for (char const* field :
       {"access_token", "expires_in", "expires_on", "not_before", "resource", "token_type"}) {
    EXPECT_TRUE(answer.json[field].is_string()) << field << " in " << answer.text;
  }
  EXPECT_EQ(answer.json["expires_in"], "3600");
  EXPECT_EQ(answer.json["resource"], "https://management.azure.com/");
  EXPECT_EQ(answer.json["token_type"], "Bearer");
  std::string const access_token = answer.json["access_token"];
  EXPECT_EQ(jwt_claims(access_token)["oid"], k_system_identity_object);
  EXPECT_EQ(jwt_claims(access_token)["appid"], k_system_identity_client);
  EXPECT_EQ(arm_as(access_token, "GET", cluster_path() + "?api-version=2024-09-01").status, 200);
}

TEST_F(ManagedIdentityTest, UserAssignedIdentityIsChosenByAnySelector) {
  for (std::string const& query :
       {std::string("client_id=") + k_runner_client,
        std::string("object_id=") + k_runner_object,
        "msi_res_id=" + httplib::detail::encode_query_param(runner_id())}) {
    Answer const answer = imds("resource=https://management.azure.com&" + query);
    ASSERT_EQ(answer.status, 200) << query << ": " << answer.text;
    std::string const access_token = answer.json["access_token"];
    EXPECT_EQ(jwt_claims(access_token)["oid"], k_runner_object) << query;
    EXPECT_EQ(arm_as(access_token, "GET", cluster_path() + "?api-version=2024-09-01").status, 200)
        << "the seed grants wi-setup-runner ARM rights";
  }
  Answer const unknown =
      imds("resource=https://management.azure.com&client_id=" + std::string(k_demo_client));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(
      unknown.json,
      nlohmann::json({{"error", "invalid_request"}, {"error_description", "Identity not found"}}));
  Answer const two =
      imds("resource=https://management.azure.com&client_id=" + std::string(k_runner_client) +
           "&object_id=" + k_runner_object);
  EXPECT_EQ(two.status, 400);
}

TEST_F(ManagedIdentityTest, ImdsRefusesWhatTheRealServiceRefuses) {
  Answer const no_header = imds("resource=https://management.azure.com/", false);
  EXPECT_EQ(no_header.status, 400);
  EXPECT_EQ(no_header.json["error"], "bad_request_102");
  EXPECT_EQ(imds("").status, 400) << "resource is required";
  Answer const unknown = imds("resource=https://vault.example/");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json["error"], "invalid_resource");
  EXPECT_EQ(get(std::string(k_imds_path) + "?resource=https://management.azure.com/",
                {{"Metadata", "true"}})
                .status,
            400)
      << "api-version is required";
  EXPECT_EQ(get("/metadata/instance?api-version=2021-02-01", {{"Metadata", "true"}}).status, 404);
}

TEST_F(ManagedIdentityTest, AksServerAppTokenComesFromImdsToo) {
  Answer const answer = imds("resource=6dae42f8-4368-4678-94ff-3960e28e3630");
  ASSERT_EQ(answer.status, 200) << answer.text;
  EXPECT_EQ(jwt_claims(answer.json["access_token"].get<std::string>())["aud"],
            "6dae42f8-4368-4678-94ff-3960e28e3630");
}

TEST_F(ManagedIdentityTest, AppServiceEndpointNeedsTheIdentityHeader) {
  nlohmann::json const ready =
      nlohmann::json::parse(std::ifstream{m_options.state_dir / "ready.json"}, nullptr, false);
  std::string const header = ready.value("identity_header", "");
  ASSERT_EQ(header, m_simulator->identity_header());
  std::string const base = "http://127.0.0.1:" + std::to_string(m_simulator->imds_port());
  EXPECT_EQ(ready["imds_url"], base);
  EXPECT_EQ(ready["identity_endpoint"], base + "/msi/token");

  Answer const answer = app_service("resource=https://management.azure.com/", header);
  ASSERT_EQ(answer.status, 200) << answer.text;
  EXPECT_TRUE(answer.json["expires_on"].is_string());
  EXPECT_FALSE(answer.json.contains("expires_in"));
  EXPECT_EQ(answer.json["client_id"], k_system_identity_client);
  Answer const runner = app_service("resource=https://management.azure.com/&principal_id=" +
                                        std::string(k_runner_object),
                                    header);
  ASSERT_EQ(runner.status, 200) << runner.text;
  EXPECT_EQ(runner.json["client_id"], k_runner_client);

  EXPECT_EQ(app_service("resource=https://management.azure.com/", "").status, 400);
  Answer const wrong = app_service("resource=https://management.azure.com/", "wrong");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.text.find(header), std::string::npos);
  EXPECT_EQ(get("/msi/token?api-version=2017-09-01&resource=https://management.azure.com/",
                {{"X-IDENTITY-HEADER", header}})
                .status,
            400);
}

TEST_F(ManagedIdentityTest, FaultsForImdsAreAnsweredThenItRecovers) {
  Answer const armed = send("POST",
                            "/_sim/faults",
                            R"({"service": "imds", "status": 410, "times": 2})",
                            "application/json");
  ASSERT_EQ(armed.status, 201) << armed.text;
  EXPECT_EQ(imds("resource=https://management.azure.com/").status, 410);
  EXPECT_EQ(imds("resource=https://management.azure.com/").status, 410);
  EXPECT_EQ(imds("resource=https://management.azure.com/").status, 200);
  nlohmann::json const log = send("GET", "/_sim/requests").json;
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0]["service"], "imds");
  EXPECT_EQ(log[0]["status"], 410);
  EXPECT_EQ(log[2]["write"], false);
}

TEST_F(ManagedIdentityTest, MachineWithoutIdentitiesFindsNone) {
  nlohmann::json seed = state();
  seed["servicePrincipals"][0]["clientSecret"] = k_demo_secret;
  seed.erase("managedIdentityHost");
  ASSERT_EQ(send("PUT", "/_sim/state", seed.dump(), "application/json").status, 200);
  Answer const answer = imds("resource=https://management.azure.com/");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.json["error_description"], "Identity not found");
}

class ShortManagedIdentityTokenTest : public ManagedIdentityTest {
  void configure(Options& options) override { options.token_lifetime = Seconds{90.5}; }
};

TEST_F(ShortManagedIdentityTokenTest, LifetimeFlagAppliesToManagedIdentityTokens) {
  Answer const answer = imds("resource=https://management.azure.com/");
  EXPECT_EQ(answer.json["expires_in"], "91");
  long long const expires_on = std::stoll(answer.json["expires_on"].get<std::string>());
  long long const not_before = std::stoll(answer.json["not_before"].get<std::string>());
  EXPECT_NEAR(static_cast<double>(expires_on - not_before), 90.0, 1.0);
}

} // namespace
} // namespace wisetup::sim::testing
