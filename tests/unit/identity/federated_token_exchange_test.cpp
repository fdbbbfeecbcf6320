#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/federated_token_exchange.hpp>

#include <gtest/gtest.h>

namespace wisetup::identity {
namespace federated_token_exchange_test {

using testing::FakeTransport;
using testing::ManualClock;

constexpr char const* k_tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
constexpr char const* k_client = "11111111-2222-3333-4444-555555555555";
constexpr char const* k_scope = "https://management.azure.com/.default";
constexpr char const* k_assertion = "CANARY.assertion+/=.sig";

class FederatedTokenExchangeTest : public ::testing::Test {
protected:
  [[nodiscard]] core::Cloud cloud() const {
    core::Cloud result = core::builtin_cloud("AzureCloud");
    result.active_directory = "https://login.test/";
    return result;
  }

  [[nodiscard]] ExchangeResult exchange(int retries = 0) {
    http::RetryOptions retry;
    retry.max_retries = retries;
    retry.jitter = [] {
      return 1.0;
    };
    return exchange_federated_token(transport,
                                    cloud(),
                                    k_tenant,
                                    k_client,
                                    k_assertion,
                                    k_scope,
                                    ExchangeOptions{clock, retry});
  }

  template <class Error> std::string error_of() {
    try {
      (void)exchange();
    } catch (Error const& error) {
      std::string message = error.what();
      EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
      return message;
    }
    ADD_FAILURE() << "expected an exception";
    return {};
  }

  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
};

TEST_F(FederatedTokenExchangeTest, PostsTheClientCredentialsFormAndReturnsTheToken) {
  transport->respond_json(200, R"({"token_type":"Bearer","expires_in":3599,"access_token":"at"})");
  auto const result = exchange();
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.token.token, "at");
  EXPECT_EQ(result.token.expires_on, clock->wall_now() + std::chrono::seconds{3599});
  EXPECT_TRUE(result.error_code.empty());

  auto const request = transport->requests().at(0);
  EXPECT_EQ(request.method, http::Method::Post);
  EXPECT_EQ(request.url, std::string("https://login.test/") + k_tenant + "/oauth2/v2.0/token");
  EXPECT_EQ(request.headers.get("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_FALSE(request.headers.contains("Authorization"));
  EXPECT_EQ(http::query_parameter(request.body, "grant_type"), "client_credentials");
  EXPECT_EQ(http::query_parameter(request.body, "client_id"), k_client);
  EXPECT_EQ(http::query_parameter(request.body, "client_assertion_type"),
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  EXPECT_EQ(http::query_parameter(request.body, "client_assertion"), k_assertion);
  EXPECT_EQ(http::query_parameter(request.body, "scope"), k_scope);
}

TEST_F(FederatedTokenExchangeTest, RefusalIsAnAnswerWithTheCode) {
  transport->respond_json(400, R"({"error":"invalid_client",
      "error_description":"AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:app:sa'. Trace ID: t1",
      "error_codes":[700213],"trace_id":"t1"})");
  auto const result = exchange();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error_code, "AADSTS700213");
  EXPECT_EQ(result.error, "invalid_client");
  EXPECT_NE(result.description.find("system:serviceaccount:app:sa"), std::string::npos);
  EXPECT_TRUE(result.token.token.empty());
}

TEST_F(FederatedTokenExchangeTest, CodeFromTheDescriptionAndAssertionRemoved) {
  // A service (or a proxy) that echoes the assertion must not get it into the result.
  transport->respond_json(
      401,
      std::string(
          R"({"error":"invalid_client","error_description":"AADSTS700024: Client assertion )") +
          k_assertion + R"( is not within its valid time range."})");
  auto const result = exchange();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error_code, "AADSTS700024");
  EXPECT_EQ(result.description.find("CANARY"), std::string::npos) << result.description;
  EXPECT_NE(result.description.find("REDACTED"), std::string::npos) << result.description;
}

TEST_F(FederatedTokenExchangeTest, RefusalWithoutCode) {
  transport->respond_json(400, R"({"error":"invalid_request"})");
  auto const result = exchange();
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.error_code.empty());
  EXPECT_EQ(result.error, "invalid_request");
}

TEST_F(FederatedTokenExchangeTest, ServerErrorsThrowAfterRetries) {
  transport->respond(503, "");
  transport->respond_json(500,
                          R"({"error":"server_error","error_description":"AADSTS90033: boom"})");
  try {
    (void)exchange(1);
    FAIL() << "expected AuthenticationError";
  } catch (core::AuthenticationError const& error) {
    EXPECT_NE(std::string(error.what()).find("try again later"), std::string::npos) << error.what();
  }
  EXPECT_EQ(transport->requests().size(), 2U);
  EXPECT_EQ(clock->sleeps().size(), 1U);
}

TEST_F(FederatedTokenExchangeTest, NonEntraAnswersThrow) {
  transport->respond(400, "<html>bad gateway config</html>");
  transport->respond_json(403, R"({"error":"access_denied"})");
  transport->respond_json(200, R"({"expires_in":3600})");
  (void)error_of<core::AuthenticationError>();
  (void)error_of<core::AuthenticationError>();
  auto const message = error_of<core::AuthenticationError>();
  EXPECT_NE(message.find("access_token"), std::string::npos) << message;
}

TEST_F(FederatedTokenExchangeTest, TransportFailureNamesTheAuthority) {
  transport->answer([](http::Request const& request) -> http::Response {
    throw http::TransportError("connection refused while sending " + request.body);
  });
  auto const message = error_of<http::TransportError>();
  EXPECT_NE(message.find("https://login.test"), std::string::npos) << message;
}

TEST_F(FederatedTokenExchangeTest, PlainHttpAuthorityIsRefused) {
  auto plain = cloud();
  plain.active_directory = "http://login.test";
  EXPECT_THROW(
      (void)exchange_federated_token(transport, plain, k_tenant, k_client, k_assertion, k_scope),
      core::InvalidInput);
  EXPECT_TRUE(transport->requests().empty());
}

TEST(AadstsMeaningTest, KnownCodesHaveASentence) {
  EXPECT_NE(aadsts_meaning("AADSTS700211").find("issuer"), std::string_view::npos);
  EXPECT_NE(aadsts_meaning("700212").find("audience"), std::string_view::npos);
  EXPECT_NE(aadsts_meaning("AADSTS700213").find("subject"), std::string_view::npos);
  EXPECT_NE(aadsts_meaning("AADSTS70021").find("No federated identity credential"),
            std::string_view::npos);
  EXPECT_NE(aadsts_meaning("AADSTS700016").find("not found"), std::string_view::npos);
  EXPECT_NE(aadsts_meaning("AADSTS700024").find("expired"), std::string_view::npos);
  EXPECT_NE(aadsts_meaning("AADSTS50027").find("JWT"), std::string_view::npos);
  EXPECT_TRUE(aadsts_meaning("AADSTS90002").empty());
  EXPECT_TRUE(aadsts_meaning("").empty());
  EXPECT_TRUE(aadsts_meaning("AADSTS7002").empty());
}

} // namespace federated_token_exchange_test
} // namespace wisetup::identity
