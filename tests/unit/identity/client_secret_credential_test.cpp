#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/identity/client_secret_credential.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace wisetup::identity {
namespace client_secret_credential_test {

using testing::FakeTransport;
using testing::ManualClock;

constexpr char const* k_secret = "CANARY s3cret&=+/";
constexpr char const* k_scope = "https://management.azure.com/.default";

class ClientSecretCredentialTest : public ::testing::Test {
protected:
  [[nodiscard]] ClientSecretCredential credential(int max_retries = 0) const {
    http::RetryOptions retry;
    retry.max_retries = max_retries;
    retry.jitter = [] {
      return 1.0;
    };
    return ClientSecretCredential{"https://login.test/",
                                  "contoso.onmicrosoft.com",
                                  "11111111-2222-3333-4444-555555555555",
                                  k_secret,
                                  m_transport,
                                  m_clock,
                                  retry};
  }

  /// The message of the AuthenticationError that a token request answered with `body` raises.
  std::string rejection(int status, std::string const& body) {
    m_transport->respond_json(status, body);
    try {
      (void)credential().get_token(k_scope);
    } catch (core::AuthenticationError const& error) {
      std::string message = error.what();
      EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
      EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
      EXPECT_EQ(error.exit_code(), core::ExitCode::Authentication);
      return message;
    }
    ADD_FAILURE() << "expected AuthenticationError";
    return {};
  }

  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(ClientSecretCredentialTest, PostsTheFormBodyToTheTenantsTokenEndpoint) {
  m_transport->respond_json(200, R"({"token_type":"Bearer","expires_in":3599,"access_token":"t"})");
  auto const token = credential().get_token(k_scope);
  EXPECT_EQ(token.token, "t");

  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, http::Method::Post);
  EXPECT_EQ(requests[0].url, "https://login.test/contoso.onmicrosoft.com/oauth2/v2.0/token");
  EXPECT_EQ(requests[0].headers.get("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(requests[0].body,
            "grant_type=client_credentials&client_id=11111111-2222-3333-4444-555555555555"
            "&client_secret=CANARY%20s3cret%26%3D%2B%2F"
            "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default");
  EXPECT_FALSE(requests[0].headers.contains("Authorization"));
}

TEST_F(ClientSecretCredentialTest, ExpiryComesFromExpiresInAsNumberOrString) {
  m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"a"})");
  m_transport->respond_json(200, R"({"expires_in":"120","access_token":"b"})");
  auto const cred = credential();
  EXPECT_EQ(cred.get_token(k_scope).expires_on, m_clock->wall_now() + std::chrono::seconds{3600});
  EXPECT_EQ(cred.get_token(k_scope).expires_on, m_clock->wall_now() + std::chrono::seconds{120});
}

TEST_F(ClientSecretCredentialTest, AnswerWithoutTokenIsAnAuthenticationError) {
  m_transport->respond_json(200, R"({"expires_in":3600})");
  EXPECT_THROW((void)credential().get_token(k_scope), core::AuthenticationError);
  m_transport->respond_json(200, R"({"access_token":"a","expires_in":"soon"})");
  EXPECT_THROW((void)credential().get_token(k_scope), core::AuthenticationError);
  // Past what the clock can hold once added to now (found by fuzz_entra): refused, not overflowed.
  m_transport->respond_json(200, R"({"access_token":"a","expires_in":99999999999})");
  EXPECT_THROW((void)credential().get_token(k_scope), core::AuthenticationError);
  m_transport->respond(200, "<html>proxy login</html>");
  EXPECT_THROW((void)credential().get_token(k_scope), core::AuthenticationError);
}

TEST_F(ClientSecretCredentialTest, WrongSecretGivesCodeSentenceAndFixWithoutTheSecret) {
  auto const message = rejection(401, R"({"error":"invalid_client",
      "error_description":"AADSTS7000215: Invalid client secret CANARY s3cret&=+/ provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 0f\r\nTimestamp: 2027-01-15",
      "error_codes":[7000215]})");
  EXPECT_NE(message.find("AADSTS7000215"), std::string::npos) << message;
  EXPECT_NE(message.find("Invalid client secret REDACTED provided."), std::string::npos) << message;
  EXPECT_EQ(message.find("Ensure the secret"), std::string::npos) << message;
  EXPECT_EQ(message.find("Trace ID"), std::string::npos) << message;
  EXPECT_NE(message.find("AZURE_CLIENT_SECRET: it must be the secret's value, not its id"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("https://login.test"), std::string::npos) << message;
}

TEST_F(ClientSecretCredentialTest, WrongTenantAndUnknownAppHaveTheirHints) {
  auto const tenant = rejection(400, R"({"error":"invalid_request",
      "error_description":"AADSTS90002: Tenant 'x' not found. Check to make sure you have the correct tenant ID.",
      "error_codes":[90002]})");
  EXPECT_NE(tenant.find("AADSTS90002 Tenant 'x' not found."), std::string::npos) << tenant;
  EXPECT_NE(tenant.find("Check AZURE_TENANT_ID"), std::string::npos) << tenant;

  // No error_codes: the code is read from the description's prefix.
  auto const app = rejection(400, R"({"error":"unauthorized_client",
      "error_description":"AADSTS700016: Application with identifier 'y' was not found in the directory 'z'."})");
  EXPECT_NE(app.find("AADSTS700016"), std::string::npos) << app;
  EXPECT_NE(app.find("Check AZURE_CLIENT_ID and AZURE_TENANT_ID"), std::string::npos) << app;
}

TEST_F(ClientSecretCredentialTest, RejectionIsNotRetried) {
  m_transport->respond_json(401, R"({"error":"invalid_client","error_codes":[7000215]})");
  EXPECT_THROW((void)credential(3).get_token(k_scope), core::AuthenticationError);
  EXPECT_EQ(m_transport->requests().size(), 1U);
}

TEST_F(ClientSecretCredentialTest, ThrottlingIsRetried) {
  http::Headers headers;
  headers.set("Retry-After", "3");
  m_transport->respond(429, {}, headers);
  m_transport->respond_json(200, R"({"expires_in":60,"access_token":"a"})");
  EXPECT_EQ(credential(3).get_token(k_scope).token, "a");
  EXPECT_EQ(m_clock->sleeps(), std::vector<std::chrono::milliseconds>{std::chrono::seconds{3}});
}

TEST_F(ClientSecretCredentialTest, TransportFailureNamesTheAuthority) {
  m_transport->answer([](http::Request const&) -> http::Response {
    throw http::TransportError("cannot reach https://login.test: connection refused");
  });
  try {
    (void)credential().get_token(k_scope);
    FAIL() << "expected TransportError";
  } catch (http::TransportError const& error) {
    EXPECT_NE(std::string(error.what()).find("authority https://login.test"), std::string::npos)
        << error.what();
  }
}

TEST_F(ClientSecretCredentialTest, TokenRequestsNeverLogTheSecretOrToken) {
  std::ostringstream stream;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(stream));
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"CANARY-token"})");
  auto const token = credential().get_token(k_scope);
  spdlog::set_default_logger(previous);

  EXPECT_EQ(token.token, "CANARY-token");
  auto const text = stream.str();
  EXPECT_NE(text.find("POST https://login.test/contoso.onmicrosoft.com/oauth2/v2.0/token"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("CANARY"), std::string::npos) << text;
  EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
}

TEST_F(ClientSecretCredentialTest, DescribesItselfByClientId) {
  EXPECT_EQ(credential().describe(),
            "client secret (AZURE_CLIENT_ID=11111111-2222-3333-4444-555555555555)");
}

} // namespace client_secret_credential_test
} // namespace wisetup::identity
