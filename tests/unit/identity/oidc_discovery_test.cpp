#include "support/fake_transport.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/identity/oidc_discovery.hpp>

#include <gtest/gtest.h>

namespace wisetup::identity {
namespace {

using testing::FakeTransport;

constexpr char const* k_issuer = "https://eastus.oic.prod-aks.azure.com/tenant/guid/";
constexpr char const* k_discovery =
    "https://eastus.oic.prod-aks.azure.com/tenant/guid/.well-known/openid-configuration";
constexpr char const* k_jwks = "https://eastus.oic.prod-aks.azure.com/tenant/guid/openid/v1/jwks";

class OidcDiscoveryTest : public ::testing::Test {
protected:
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  http::Pipeline pipeline{std::vector<std::unique_ptr<http::Policy>>{}, transport};

  void respond_discovery() {
    transport->respond_json(200,
                            std::string(R"({"issuer": ")") + k_issuer + R"(", "jwks_uri": ")" +
                                k_jwks + R"(", "response_types_supported": ["id_token"]})");
  }

  template <class Error> std::string error_of(std::string const& issuer = k_issuer) {
    try {
      (void)fetch_oidc_discovery(pipeline, issuer);
    } catch (Error const& error) {
      return error.what();
    }
    ADD_FAILURE() << "expected an exception";
    return {};
  }
};

TEST_F(OidcDiscoveryTest, ReadsTheDocumentAndCountsTheKeys) {
  respond_discovery();
  transport->respond_json(200, R"({"keys": [{"kid": "a", "kty": "RSA"}, {"kid": "b"}]})");
  auto const discovery = fetch_oidc_discovery(pipeline, k_issuer);
  EXPECT_EQ(discovery.issuer, k_issuer);
  EXPECT_EQ(discovery.jwks_uri, k_jwks);
  EXPECT_EQ(discovery.key_count, 2U);
  auto const requests = transport->requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].method, http::Method::Get);
  EXPECT_EQ(requests[0].url, k_discovery);
  EXPECT_EQ(requests[1].url, k_jwks);
  EXPECT_FALSE(requests[0].headers.contains("Authorization"));
}

TEST_F(OidcDiscoveryTest, IssuerWithoutTrailingSlashGetsOne) {
  respond_discovery();
  transport->respond_json(200, R"({"keys": []})");
  auto const discovery =
      fetch_oidc_discovery(pipeline, "https://eastus.oic.prod-aks.azure.com/tenant/guid");
  EXPECT_EQ(discovery.key_count, 0U);
  EXPECT_EQ(transport->requests().at(0).url, k_discovery);
}

TEST_F(OidcDiscoveryTest, NotFoundNamesTheUrl) {
  transport->respond(404, "Not Found");
  try {
    (void)fetch_oidc_discovery(pipeline, k_issuer);
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 404);
    EXPECT_EQ(error.fault().url, k_discovery);
    EXPECT_NE(std::string(error.what()).find(k_discovery), std::string::npos) << error.what();
  }
}

TEST_F(OidcDiscoveryTest, NonJsonAndMissingFieldsAreServiceErrors) {
  transport->respond(200, "<html>login page</html>");
  transport->respond_json(200, R"({"issuer": "x"})");
  transport->respond_json(200, R"({"jwks_uri": "https://a.test/jwks"})");
  auto const html = error_of<http::ServiceError>();
  EXPECT_NE(html.find("not a JSON object"), std::string::npos) << html;
  EXPECT_NE(html.find(k_discovery), std::string::npos) << html;
  EXPECT_NE(error_of<http::ServiceError>().find("without jwks_uri"), std::string::npos);
  EXPECT_NE(error_of<http::ServiceError>().find("without issuer"), std::string::npos);
}

TEST_F(OidcDiscoveryTest, JwksProblemsNameTheJwksUrl) {
  respond_discovery();
  transport->respond_json(200, R"({"nokeys": true})");
  respond_discovery();
  transport->respond(500, "");
  auto const missing = error_of<http::ServiceError>();
  EXPECT_NE(missing.find(k_jwks), std::string::npos) << missing;
  EXPECT_NE(missing.find("without keys"), std::string::npos) << missing;
  EXPECT_NE(error_of<http::ServiceError>().find("(500)"), std::string::npos);
}

TEST_F(OidcDiscoveryTest, UnreachableIssuerNamesTheUrl) {
  transport->answer([](http::Request const&) -> http::Response {
    throw http::TransportError("cannot connect to eastus.oic.prod-aks.azure.com:443");
  });
  auto const message = error_of<http::TransportError>();
  EXPECT_NE(message.find(k_discovery), std::string::npos) << message;
}

TEST_F(OidcDiscoveryTest, NotAUrlIsInvalidInput) {
  (void)error_of<core::InvalidInput>("not a url");
  transport->respond_json(200, R"({"issuer": "x", "jwks_uri": "/openid/v1/jwks"})");
  (void)error_of<core::InvalidInput>();
  EXPECT_EQ(transport->requests().size(), 1U);
}

} // namespace
} // namespace wisetup::identity
