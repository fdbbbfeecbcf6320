#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"
#include "test_pki.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/workload_identity_credential.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace wisetup::identity {
namespace workload_identity_credential_test {

using testing::FakeTransport;
using testing::ManualClock;
using testing::TempDir;

constexpr char const* k_tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
constexpr char const* k_client = "11111111-2222-3333-4444-555555555555";
constexpr char const* k_scope = "https://management.azure.com/.default";
constexpr char const* k_github_url = "https://pipelines.actions.test/abc/idtoken?api-version=2.0";
constexpr char const* k_job_token = "CANARY-job-token";

class WorkloadIdentityCredentialTest : public ::testing::Test {
protected:
  [[nodiscard]] WorkloadIdentityOptions options() const {
    WorkloadIdentityOptions options;
    options.authority_host = "https://login.test/";
    options.tenant_id = k_tenant;
    options.client_id = k_client;
    options.retry.max_retries = 0;
    return options;
  }
  [[nodiscard]] WorkloadIdentityCredential from_file(std::string const& path) const {
    auto opts = options();
    opts.token_file = path;
    return WorkloadIdentityCredential{opts, m_transport, m_clock};
  }
  [[nodiscard]] WorkloadIdentityCredential from_github(std::string url = k_github_url) const {
    auto opts = options();
    opts.github_request_url = std::move(url);
    opts.github_request_token = k_job_token;
    return WorkloadIdentityCredential{opts, m_transport, m_clock};
  }
  template <class Error, class Call> std::string error_of(Call const& call) {
    try {
      call();
    } catch (Error const& error) {
      std::string message = error.what();
      EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
      return message;
    }
    ADD_FAILURE() << "expected an exception";
    return {};
  }
  void respond_token() {
    m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"t"})");
  }
  [[nodiscard]] std::string assertion(std::size_t index) const {
    return http::query_parameter(m_transport->requests().at(index).body, "client_assertion")
        .value_or("");
  }

  TempDir m_dir;
  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(WorkloadIdentityCredentialTest, SendsTheTokenFileAsTheClientAssertion) {
  auto const path = m_dir.write("azure-identity-token", "  header.claims.signature\n");
  respond_token();
  EXPECT_EQ(from_file(path).get_token(k_scope).token, "t");
  auto const request = m_transport->requests().at(0);
  EXPECT_EQ(request.url, std::string("https://login.test/") + k_tenant + "/oauth2/v2.0/token");
  EXPECT_EQ(http::query_parameter(request.body, "client_id"), k_client);
  EXPECT_EQ(http::query_parameter(request.body, "client_assertion_type"),
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  EXPECT_EQ(assertion(0), "header.claims.signature"); // whitespace trimmed
}

TEST_F(WorkloadIdentityCredentialTest, RereadsTheTokenFileAtEveryRequest) {
  auto const path = m_dir.write("token", "first.token.value");
  auto const cred = from_file(path);
  respond_token();
  respond_token();
  (void)cred.get_token(k_scope);
  (void)m_dir.write("token", "second.token.value\n"); // kubelet rotated it
  (void)cred.get_token(k_scope);
  EXPECT_EQ(assertion(0), "first.token.value");
  EXPECT_EQ(assertion(1), "second.token.value");
}

TEST_F(WorkloadIdentityCredentialTest, MissingOrEmptyTokenFileIsAnAuthenticationErrorNamingIt) {
  auto const missing = (m_dir.path() / "gone").string();
  auto const cred = from_file(missing); // nothing read before the first request
  auto const gone = error_of<core::AuthenticationError>([&] { (void)cred.get_token(k_scope); });
  EXPECT_NE(gone.find("cannot read the federated token file " + missing), std::string::npos)
      << gone;
  EXPECT_NE(gone.find("AZURE_FEDERATED_TOKEN_FILE"), std::string::npos) << gone;

  auto const blank = m_dir.write("blank", " \n\t\n");
  auto const empty =
      error_of<core::AuthenticationError>([&] { (void)from_file(blank).get_token(k_scope); });
  EXPECT_NE(empty.find("the federated token file " + blank +
                       " (AZURE_FEDERATED_TOKEN_FILE) is "
                       "empty"),
            std::string::npos)
      << empty;
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(WorkloadIdentityCredentialTest, AsksGithubForTheJobTokenWithItsAudience) {
  m_transport->respond_json(200, R"({"count":1,"value":"github.oidc.jwt"})");
  respond_token();
  EXPECT_EQ(from_github().get_token(k_scope).token, "t");

  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].method, http::Method::Get);
  EXPECT_EQ(requests[0].url,
            std::string(k_github_url) + "&audience=api%3A%2F%2FAzureADTokenExchange");
  EXPECT_EQ(requests[0].headers.get("Authorization"), std::string("Bearer ") + k_job_token);
  EXPECT_EQ(http::query_parameter(requests[1].body, "client_assertion"), "github.oidc.jwt");
  // The job token goes to GitHub only; the token request authenticates with its body.
  EXPECT_FALSE(requests[1].headers.contains("Authorization"));
  EXPECT_EQ(requests[1].body.find("CANARY"), std::string::npos);
}

TEST_F(WorkloadIdentityCredentialTest, AsksGithubAgainForEveryTokenAndAddsAQueryWhenNoneIs) {
  auto const cred = from_github("https://pipelines.actions.test/idtoken");
  for (int i = 0; i < 2; ++i) {
    m_transport->respond_json(200, R"({"value":"jwt-)" + std::to_string(i) + R"("})");
    respond_token();
    (void)cred.get_token(k_scope);
  }
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 4U);
  EXPECT_EQ(requests[2].url,
            "https://pipelines.actions.test/idtoken?audience=api%3A%2F%2FAzureADTokenExchange");
  EXPECT_EQ(assertion(3), "jwt-1");
}

TEST_F(WorkloadIdentityCredentialTest, GithubRefusalOrEmptyAnswerStops) {
  m_transport->respond_json(403, R"({"message":"CANARY-echo"})");
  auto const refused =
      error_of<core::AuthenticationError>([&] { (void)from_github().get_token(k_scope); });
  EXPECT_NE(refused.find("HTTP 403"), std::string::npos) << refused;
  EXPECT_NE(refused.find("id-token: write"), std::string::npos) << refused;
  EXPECT_NE(refused.find("https://pipelines.actions.test/abc/idtoken"), std::string::npos);
  EXPECT_EQ(refused.find("api-version"), std::string::npos) << refused;

  m_transport->respond_json(200, R"({"value":""})");
  auto const empty =
      error_of<core::AuthenticationError>([&] { (void)from_github().get_token(k_scope); });
  EXPECT_NE(empty.find("without a token"), std::string::npos) << empty;
  EXPECT_EQ(m_transport->requests().size(), 2U); // no token request followed
}

TEST_F(WorkloadIdentityCredentialTest, GithubUnreachableIsATransportErrorWithoutTheJobToken) {
  m_transport->answer([](http::Request const& request) -> http::Response {
    throw http::TransportError("cannot reach " + request.url + " with " +
                               request.headers.get("Authorization").value_or(""));
  });
  auto const message =
      error_of<http::TransportError>([&] { (void)from_github().get_token(k_scope); });
  EXPECT_NE(message.find("GitHub Actions OIDC token"), std::string::npos) << message;
}

TEST_F(WorkloadIdentityCredentialTest, GithubRequestUrlMustBeHttpsAndASourceIsNeeded) {
  auto const http_url = error_of<core::InvalidInput>(
      [&] { (void)from_github("http://pipelines.actions.test/idtoken"); });
  EXPECT_NE(http_url.find("ACTIONS_ID_TOKEN_REQUEST_URL"), std::string::npos) << http_url;
  auto const none = error_of<core::InvalidInput>(
      [&] { (void)WorkloadIdentityCredential(options(), m_transport, m_clock); });
  EXPECT_NE(none.find("AZURE_FEDERATED_TOKEN_FILE"), std::string::npos) << none;
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(WorkloadIdentityCredentialTest, NeverLogsTheJobTokenOrTheFederatedToken) {
  std::ostringstream stream;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(stream));
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  m_transport->respond_json(200, R"({"value":"CANARY-federated"})");
  m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"CANARY-access"})");
  (void)from_github().get_token(k_scope);
  spdlog::set_default_logger(previous);
  auto const text = stream.str();
  EXPECT_NE(text.find("GET https://pipelines.actions.test/abc/idtoken"), std::string::npos) << text;
  EXPECT_EQ(text.find("CANARY"), std::string::npos) << text;
}

TEST_F(WorkloadIdentityCredentialTest, RefusalsNameTheFederatedTokenFix) {
  auto const path = m_dir.write("token", "CANARY.federated.token");
  m_transport->respond_json(400, R"({"error":"invalid_client",
      "error_description":"AADSTS700024: Client assertion is not within its valid time range.",
      "error_codes":[700024]})");
  auto const expired =
      error_of<core::AuthenticationError>([&] { (void)from_file(path).get_token(k_scope); });
  EXPECT_NE(expired.find("The federated token in " + path + " was refused as expired"),
            std::string::npos)
      << expired;

  m_transport->respond_json(400, R"({"error":"invalid_request",
      "error_description":"AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:default:x'.",
      "error_codes":[700213]})");
  auto const unmatched =
      error_of<core::AuthenticationError>([&] { (void)from_file(path).get_token(k_scope); });
  EXPECT_NE(unmatched.find("system:serviceaccount:default:x"), std::string::npos) << unmatched;
  EXPECT_NE(
      unmatched.find(std::string("No federated identity credential of the identity ") + k_client),
      std::string::npos)
      << unmatched;
  EXPECT_NE(unmatched.find("system:serviceaccount:<namespace>:<name>"), std::string::npos)
      << unmatched;

  m_transport->respond_json(200, R"({"value":"CANARY-federated"})");
  m_transport->respond_json(400, R"({"error":"invalid_request","error_codes":[70021]})");
  auto const github =
      error_of<core::AuthenticationError>([&] { (void)from_github().get_token(k_scope); });
  EXPECT_NE(github.find("token.actions.githubusercontent.com"), std::string::npos) << github;
}

TEST_F(WorkloadIdentityCredentialTest, DescribesItsSource) {
  EXPECT_EQ(from_file("/var/run/secrets/azure/tokens/azure-identity-token").describe(),
            std::string("workload identity (AZURE_CLIENT_ID=") + k_client +
                ", AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token)");
  EXPECT_EQ(from_github().describe(),
            std::string("workload identity (AZURE_CLIENT_ID=") + k_client +
                ", GitHub Actions OIDC token)");
}

} // namespace workload_identity_credential_test
} // namespace wisetup::identity
