#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/identity/credential_unavailable.hpp>
#include <wisetup/identity/managed_identity_credential.hpp>

#include <gtest/gtest.h>

#include <numeric>

namespace wisetup::identity {
namespace managed_identity_credential_test {

using namespace std::chrono_literals;
using testing::FakeTransport;
using testing::ManualClock;

constexpr char const* k_arm_scope = "https://management.azure.com/.default";
constexpr char const* k_imds_url =
    "http://169.254.169.254/metadata/identity/oauth2/token"
    "?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com";
constexpr char const* k_token = R"({"access_token":"mi-token","expires_on":"1800003600",)"
                                R"("expires_in":"3600","token_type":"Bearer"})";
constexpr char const* k_header_secret = "CANARY-identity-header";

ManagedIdentitySelector by_client_id(std::string id) {
  ManagedIdentitySelector selector;
  selector.client_id = std::move(id);
  return selector;
}

ManagedIdentitySelector by_object_id(std::string id) {
  ManagedIdentitySelector selector;
  selector.object_id = std::move(id);
  return selector;
}

ManagedIdentitySelector by_resource_id(std::string id) {
  ManagedIdentitySelector selector;
  selector.resource_id = std::move(id);
  return selector;
}

class ManagedIdentityCredentialTest : public ::testing::Test {
protected:
  [[nodiscard]] ManagedIdentityCredential
  credential(std::map<std::string, std::string> variables = {},
             ManagedIdentitySelector selector = {},
             double jitter = 1.0) const {
    auto retry = managed_identity_retry_options();
    retry.jitter = [jitter] {
      return jitter;
    };
    return ManagedIdentityCredential{core::MapEnvironment{std::move(variables)},
                                     std::move(selector),
                                     m_transport,
                                     m_probe,
                                     m_clock,
                                     retry};
  }

  /// The message of the exception of type Error that get_token throws.
  template <class Error>
  std::string error_of(ManagedIdentityCredential const& credential,
                       std::string const& scope = k_arm_scope) {
    try {
      (void)credential.get_token(scope);
    } catch (Error const& error) {
      return error.what();
    } catch (std::exception const& error) {
      ADD_FAILURE() << "unexpected exception: " << error.what();
      return {};
    }
    ADD_FAILURE() << "expected an exception";
    return {};
  }

  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeTransport> m_probe = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(ManagedIdentityCredentialTest, AsksImdsForTheResourceWithTheMetadataHeader) {
  m_probe->respond_json(200, k_token);
  auto const token = credential().get_token(k_arm_scope);

  EXPECT_EQ(token.token, "mi-token");
  EXPECT_EQ(token.expires_on, std::chrono::system_clock::from_time_t(1800003600));
  auto const requests = m_probe->requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, http::Method::Get);
  EXPECT_EQ(requests[0].url, k_imds_url);
  EXPECT_EQ(requests[0].headers.get("Metadata"), "true");
  EXPECT_FALSE(requests[0].headers.contains("X-IDENTITY-HEADER"));
  EXPECT_FALSE(requests[0].headers.contains("Authorization"));
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(ManagedIdentityCredentialTest, OnlyTheFirstRequestGoesThroughTheProbe) {
  m_probe->respond_json(200, k_token);
  m_transport->respond_json(200, k_token);
  auto const cred = credential();
  (void)cred.get_token(k_arm_scope);
  (void)cred.get_token("6dae42f8-4368-4678-94ff-3960e28e3630/.default");

  EXPECT_EQ(m_probe->requests().size(), 1U);
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 1U);
  // The AKS server application: a bare application id is the resource.
  EXPECT_EQ(requests[0].url,
            "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01"
            "&resource=6dae42f8-4368-4678-94ff-3960e28e3630");
  EXPECT_EQ(requests[0].headers.get("Metadata"), "true");
}

TEST_F(ManagedIdentityCredentialTest, HostOverrideAndEachSelectorNameTheirParameter) {
  std::map<std::string, std::string> const variables{
      {"AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:40342/"}};
  std::string const base = "http://127.0.0.1:40342/metadata/identity/oauth2/token"
                           "?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com";
  for (int i = 0; i < 3; ++i) {
    m_probe->respond_json(200, k_token);
  }
  (void)credential(variables, by_client_id("c1")).get_token(k_arm_scope);
  (void)credential(variables, by_object_id("o1")).get_token(k_arm_scope);
  (void)credential(variables,
                   by_resource_id("/subscriptions/s/resourceGroups/g/providers/"
                                  "Microsoft.ManagedIdentity/userAssignedIdentities/u"))
      .get_token(k_arm_scope);

  auto const requests = m_probe->requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[0].url, base + "&client_id=c1");
  EXPECT_EQ(requests[1].url, base + "&object_id=o1");
  EXPECT_EQ(requests[2].url,
            base + "&msi_res_id=%2Fsubscriptions%2Fs%2FresourceGroups%2Fg%2Fproviders%2F"
                   "Microsoft.ManagedIdentity%2FuserAssignedIdentities%2Fu");
}

TEST_F(ManagedIdentityCredentialTest, AppServiceFlavourSendsTheIdentityHeader) {
  std::map<std::string, std::string> const variables{
      {"IDENTITY_ENDPOINT", "http://127.0.0.1:41741/msi/token"},
      {"IDENTITY_HEADER", k_header_secret},
      {"AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:1"}};
  m_probe->respond_json(200, R"({"access_token":"app-token","expires_on":1800000600})");
  auto const cred = credential(variables, by_object_id("p1"));
  auto const token = cred.get_token(k_arm_scope);

  EXPECT_EQ(token.token, "app-token");
  EXPECT_EQ(token.expires_on, std::chrono::system_clock::from_time_t(1800000600));
  auto const requests = m_probe->requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].url,
            "http://127.0.0.1:41741/msi/token?resource=https%3A%2F%2Fmanagement.azure.com"
            "&api-version=2019-08-01&principal_id=p1");
  EXPECT_EQ(requests[0].headers.get("X-IDENTITY-HEADER"), k_header_secret);
  EXPECT_FALSE(requests[0].headers.contains("Metadata"));
  EXPECT_EQ(cred.describe().find("CANARY"), std::string::npos) << cred.describe();
}

TEST_F(ManagedIdentityCredentialTest, AppServiceSelectorsAndAnEndpointWithAQuery) {
  std::map<std::string, std::string> const variables{
      {"IDENTITY_ENDPOINT", "http://127.0.0.1:41741/msi/token?x=1"},
      {"IDENTITY_HEADER", k_header_secret}};
  m_probe->respond_json(200, k_token);
  m_probe->respond_json(200, k_token);
  (void)credential(variables, by_client_id("c1")).get_token(k_arm_scope);
  (void)credential(variables, by_resource_id("/r")).get_token(k_arm_scope);
  auto const requests = m_probe->requests();
  ASSERT_EQ(requests.size(), 2U);
  std::string const base = "http://127.0.0.1:41741/msi/token?x=1&resource="
                           "https%3A%2F%2Fmanagement.azure.com&api-version=2019-08-01";
  EXPECT_EQ(requests[0].url, base + "&client_id=c1");
  EXPECT_EQ(requests[1].url, base + "&mi_res_id=%2Fr");
}

TEST_F(ManagedIdentityCredentialTest, IdentityHeaderWithoutEndpointMeansImds) {
  m_probe->respond_json(200, k_token);
  (void)credential({{"IDENTITY_HEADER", k_header_secret}}).get_token(k_arm_scope);
  auto const requests = m_probe->requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].url, k_imds_url);
}

TEST_F(ManagedIdentityCredentialTest, TheIdentityHeaderNeverAppearsInAMessage) {
  std::map<std::string, std::string> const variables{
      {"IDENTITY_ENDPOINT", "http://127.0.0.1:41741/msi/token"},
      {"IDENTITY_HEADER", k_header_secret}};
  // An endpoint that echoes the request back.
  m_probe->respond_json(
      403, std::string(R"({"statusCode":403,"message":"header was )") + k_header_secret + "\"}");
  auto const message = error_of<core::AuthenticationError>(credential(variables));
  EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 403"), std::string::npos) << message;
}

TEST_F(ManagedIdentityCredentialTest, NoAnswerToTheProbeMeansUnavailableAndIsRemembered) {
  m_probe->answer([](http::Request const&) -> http::Response {
    throw http::TransportError("connection to 169.254.169.254:80 timed out");
  });
  auto const cred = credential();
  auto const first = error_of<CredentialUnavailable>(cred);
  EXPECT_NE(first.find("no managed identity endpoint (IMDS) answered at http://169.254.169.254"),
            std::string::npos)
      << first;
  // Asked again, it does not wait for another probe: no request at all.
  auto const second = error_of<CredentialUnavailable>(cred);
  EXPECT_NE(second.find("answered at http://169.254.169.254"), std::string::npos) << second;
  EXPECT_EQ(m_probe->requests().size(), 1U);
  EXPECT_TRUE(m_transport->requests().empty());
  EXPECT_TRUE(m_clock->sleeps().empty());
}

TEST_F(ManagedIdentityCredentialTest, RetriesA410ThroughTheMainTransportWithBackoff) {
  m_probe->respond_json(410, R"({"error":"unavailable"})");
  m_transport->respond_json(503, R"({"error":"busy"})");
  m_transport->respond_json(200, k_token);
  auto const token = credential().get_token(k_arm_scope);

  EXPECT_EQ(token.token, "mi-token");
  EXPECT_EQ(m_probe->requests().size(), 1U);
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[1].url, k_imds_url);
  EXPECT_EQ(requests[1].headers.get("Metadata"), "true");
  EXPECT_EQ(m_clock->sleeps(), (std::vector<std::chrono::milliseconds>{1500ms, 3000ms}));
}

TEST_F(ManagedIdentityCredentialTest, ThrottlingHonoursRetryAfter) {
  http::Headers headers;
  headers.set("Retry-After", "7");
  m_probe->respond_json(429, R"({"error":"too many requests"})", headers);
  m_transport->respond_json(200, k_token);
  (void)credential().get_token(k_arm_scope);
  EXPECT_EQ(m_clock->sleeps(), (std::vector<std::chrono::milliseconds>{7000ms}));
}

TEST_F(ManagedIdentityCredentialTest, IdentityNotFoundIsNotRetriedAndNamesTheSelector) {
  m_probe->respond_json(400,
                        R"({"error":"invalid_request","error_description":"Identity not found"})");
  auto const message = error_of<core::AuthenticationError>(
      credential({}, by_client_id("11111111-2222-3333-4444-555555555555")));
  EXPECT_NE(message.find("client_id 11111111-2222-3333-4444-555555555555"), std::string::npos)
      << message;
  EXPECT_NE(message.find("Identity not found"), std::string::npos) << message;
  EXPECT_TRUE(m_clock->sleeps().empty());
  EXPECT_TRUE(m_transport->requests().empty());

  // A refusal is not "unavailable": the chain must stop on it.
  m_probe->respond_json(400, R"({"error":"invalid_request"})");
  EXPECT_THROW(
      {
        try {
          (void)credential().get_token(k_arm_scope);
        } catch (CredentialUnavailable const&) {
          ADD_FAILURE() << "a refusal must not look unavailable";
        }
      },
      core::AuthenticationError);
}

TEST_F(ManagedIdentityCredentialTest, SystemAssignedMissingSaysSo) {
  m_probe->respond_json(400,
                        R"({"error":"invalid_request","error_description":"Identity not found"})");
  auto const message = error_of<core::AuthenticationError>(credential());
  EXPECT_NE(message.find("no system-assigned identity"), std::string::npos) << message;
}

TEST_F(ManagedIdentityCredentialTest, AnUnknownResourceIsToldApartByItsCode) {
  m_probe->respond_json(
      400, R"({"error":"invalid_resource","error_description":"AADSTS500011: not found"})");
  auto const message = error_of<core::AuthenticationError>(credential());
  EXPECT_NE(message.find("does not issue tokens for https://management.azure.com"),
            std::string::npos)
      << message;
}

TEST_F(ManagedIdentityCredentialTest, GivesUpAfterTheRetriesWithATotalWaitBeyond70Seconds) {
  m_probe->respond_json(503, "{}");
  for (int i = 0; i < 6; ++i) {
    m_transport->respond_json(503, "{}");
  }
  // The lowest jitter factor: even then the waits cover IMDS's 70 s of updating.
  auto const message = error_of<core::AuthenticationError>(credential({}, {}, 0.8));
  EXPECT_NE(message.find("still answered HTTP 503 after 6 retries"), std::string::npos) << message;
  auto const sleeps = m_clock->sleeps();
  ASSERT_EQ(sleeps.size(), 6U);
  EXPECT_GE(sleeps.front(), 1000ms);
  EXPECT_GE(std::accumulate(sleeps.begin(), sleeps.end(), 0ms), 70'000ms);
  EXPECT_EQ(m_transport->pending(), 0U);
}

TEST_F(ManagedIdentityCredentialTest, ExpiryFromANumberOrFromExpiresIn) {
  m_probe->respond_json(200, R"({"access_token":"a","expires_on":1800000123})");
  m_transport->respond_json(200, R"({"access_token":"b","expires_in":"600"})");
  m_transport->respond_json(200, R"({"access_token":"c","expires_on":"soon"})");
  auto const cred = credential();
  EXPECT_EQ(cred.get_token(k_arm_scope).expires_on,
            std::chrono::system_clock::from_time_t(1800000123));
  EXPECT_EQ(cred.get_token(k_arm_scope).expires_on, m_clock->wall_now() + 600s);
  auto const message = error_of<core::AuthenticationError>(cred);
  EXPECT_NE(message.find("expires_on"), std::string::npos) << message;
}

TEST_F(ManagedIdentityCredentialTest, AnAnswerWithoutATokenIsAnError) {
  m_probe->respond(200, "<html>captive portal</html>");
  auto const message = error_of<core::AuthenticationError>(credential());
  EXPECT_NE(message.find("without an access_token"), std::string::npos) << message;
}

TEST_F(ManagedIdentityCredentialTest, BadConfigurationIsReportedBeforeAnyRequest) {
  auto const both = error_of<core::InvalidInput>(credential({}, [] {
    auto selector = by_client_id("c");
    selector.object_id = "o";
    return selector;
  }()));
  EXPECT_NE(both.find("only one"), std::string::npos) << both;
  auto const host =
      error_of<core::InvalidInput>(credential({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", "imds"}}));
  EXPECT_EQ(host.rfind("AZURE_POD_IDENTITY_AUTHORITY_HOST is not", 0), 0U) << host;
  EXPECT_TRUE(m_probe->requests().empty());
}

TEST_F(ManagedIdentityCredentialTest, DescribeNamesTheEndpointAndTheSelector) {
  EXPECT_EQ(credential().describe(),
            "managed identity (IMDS at http://169.254.169.254, system-assigned)");
  EXPECT_EQ(credential({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:5000"}},
                       by_client_id("c1"))
                .describe(),
            "managed identity (IMDS at http://127.0.0.1:5000, client_id c1)");
}

} // namespace managed_identity_credential_test
} // namespace wisetup::identity
