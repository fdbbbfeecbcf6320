#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/client_assertion_credential.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace wisetup::identity {
namespace {

using testing::FakeTransport;
using testing::ManualClock;

constexpr char const* k_client = "11111111-2222-3333-4444-555555555555";
constexpr char const* k_scope = "https://management.azure.com/.default";
constexpr char const* k_assertion = "eyJhbGciOiJSUzI1NiJ9.eyJDQU5BUlkiOjF9.CANARY-signature+/=";

class ClientAssertionCredentialTest : public ::testing::Test {
protected:
  [[nodiscard]] ClientAssertionCredential credential(ClientAssertionCallback callback,
                                                     ClientAssertionOptions options = {}) const {
    options.retry.max_retries = 0;
    return ClientAssertionCredential{"https://login.test",
                                     "contoso.onmicrosoft.com",
                                     k_client,
                                     std::move(callback),
                                     m_transport,
                                     m_clock,
                                     std::move(options)};
  }
  [[nodiscard]] ClientAssertionCredential credential() const {
    return credential([] { return std::string(k_assertion); });
  }

  /// The message of the AuthenticationError a refusal with `body` raises; never the assertion.
  std::string
  rejection(std::string const& body, ClientAssertionOptions options = {}, int status = 400) {
    m_transport->respond_json(status, body);
    try {
      (void)credential([] { return std::string(k_assertion); }, std::move(options))
          .get_token(k_scope);
    } catch (core::AuthenticationError const& error) {
      std::string message = error.what();
      EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
      EXPECT_EQ(message.find("eyJ"), std::string::npos) << message;
      return message;
    }
    ADD_FAILURE() << "expected AuthenticationError";
    return {};
  }

  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(ClientAssertionCredentialTest, PostsTheAssertionAsAJwtBearerClientAssertion) {
  m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"t"})");
  auto const token = credential().get_token(k_scope);
  EXPECT_EQ(token.token, "t");
  EXPECT_EQ(token.expires_on, m_clock->wall_now() + std::chrono::seconds{3600});

  auto const request = m_transport->requests().at(0);
  EXPECT_EQ(request.method, http::Method::Post);
  EXPECT_EQ(request.url, "https://login.test/contoso.onmicrosoft.com/oauth2/v2.0/token");
  EXPECT_EQ(request.headers.get("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(request.body,
            "grant_type=client_credentials&client_id=11111111-2222-3333-4444-555555555555"
            "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-"
            "bearer&client_assertion=" +
                http::percent_encode(k_assertion) +
                "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default");
  EXPECT_FALSE(request.headers.contains("Authorization"));
}

TEST_F(ClientAssertionCredentialTest, AsksTheCallbackForEveryRequest) {
  int calls = 0;
  auto const cred = credential([&calls] { return "assertion-" + std::to_string(++calls); });
  m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"a"})");
  m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"b"})");
  (void)cred.get_token(k_scope);
  (void)cred.get_token(k_scope);
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(http::query_parameter(requests[0].body, "client_assertion"), "assertion-1");
  EXPECT_EQ(http::query_parameter(requests[1].body, "client_assertion"), "assertion-2");
}

TEST_F(ClientAssertionCredentialTest, CallbackErrorsPassThroughWithoutARequest) {
  auto const cred = credential(
      []() -> std::string { throw core::AuthenticationError("the token file is gone"); });
  EXPECT_THROW((void)cred.get_token(k_scope), core::AuthenticationError);
  auto const empty = credential([] { return std::string{}; });
  EXPECT_THROW((void)empty.get_token(k_scope), core::AuthenticationError);
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(ClientAssertionCredentialTest, ExpiredAssertionHasItsHint) {
  auto const message = rejection(R"({"error":"invalid_client",
      "error_description":"AADSTS700024: Client assertion is not within its valid time range. Current time: 2027-01-01T00:00:00Z.",
      "error_codes":[700024]})");
  EXPECT_NE(message.find("AADSTS700024 Client assertion is not within its valid time range."),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("Current time"), std::string::npos) << message;
  EXPECT_NE(message.find("The client assertion is expired or not yet valid"), std::string::npos)
      << message;
}

TEST_F(ClientAssertionCredentialTest, NoMatchingFederatedCredentialHasItsHint) {
  for (int const code : {70021, 700211, 700212, 700213}) {
    auto const message = rejection(
        R"({"error":"invalid_request","error_description":"AADSTS)" + std::to_string(code) +
        R"(: No matching federated identity record found for presented assertion subject 'system:serviceaccount:default:wrong'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion."})");
    EXPECT_NE(message.find("AADSTS" + std::to_string(code) +
                           " No matching federated identity "
                           "record found for presented "
                           "assertion subject "
                           "'system:serviceaccount:default:"
                           "wrong'."),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(std::string("No federated identity credential of the application or "
                                       "managed identity ") +
                           k_client + " matches the token's issuer, subject and audience"),
              std::string::npos)
        << message;
  }
}

TEST_F(ClientAssertionCredentialTest, OwnHintsComeFirstThenSharedThenFallback) {
  ClientAssertionOptions options;
  options.hint = [](std::int64_t code) {
    return code == 700024 ? std::string("renew the thing") : std::string{};
  };
  options.fallback_hint = "check the custom source";
  EXPECT_NE(rejection(R"({"error":"invalid_client","error_codes":[700024]})", options)
                .find("Renew the thing."),
            std::string::npos);
  EXPECT_NE(rejection(R"({"error":"invalid_request","error_codes":[90002]})", options)
                .find("Check AZURE_TENANT_ID and the cloud"),
            std::string::npos);
  EXPECT_NE(rejection(R"({"error":"invalid_request","error_codes":[12345]})", options)
                .find("Check the custom source."),
            std::string::npos);
  auto const failed = rejection(R"({"error":"temporarily_unavailable"})", options, 503);
  EXPECT_NE(failed.find("try again later"), std::string::npos) << failed;
}

TEST_F(ClientAssertionCredentialTest, TheAssertionIsRemovedEvenWhenEchoed) {
  auto const message =
      rejection(std::string(R"({"error":"invalid_client","error_description":")") +
                "AADSTS50027: Invalid JWT " + k_assertion + R"( given.","error_codes":[50027]})");
  EXPECT_NE(message.find("Invalid JWT REDACTED given."), std::string::npos) << message;
}

TEST_F(ClientAssertionCredentialTest, NeverLogsTheAssertionOrToken) {
  std::ostringstream stream;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(stream));
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"CANARY-token"})");
  (void)credential().get_token(k_scope);
  spdlog::set_default_logger(previous);
  auto const text = stream.str();
  EXPECT_NE(text.find("POST https://login.test/"), std::string::npos) << text;
  EXPECT_EQ(text.find("CANARY"), std::string::npos) << text;
  EXPECT_EQ(text.find("eyJ"), std::string::npos) << text;
}

TEST_F(ClientAssertionCredentialTest, DescribesItselfAsConfigured) {
  EXPECT_EQ(credential().describe(),
            std::string("client assertion (AZURE_CLIENT_ID=") + k_client + ")");
  ClientAssertionOptions options;
  options.description = "custom";
  EXPECT_EQ(credential([] { return std::string("x"); }, options).describe(), "custom");
  EXPECT_EQ(credential().token_url(),
            "https://login.test/contoso.onmicrosoft.com/oauth2/v2.0/token");
}

} // namespace
} // namespace wisetup::identity
