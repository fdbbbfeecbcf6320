#include "arm_fixture.hpp"

#include <wisetup/azure/arm_error.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>

namespace wisetup::azure {
namespace {

using ArmClientTest = ArmFixture;

constexpr char const* k_identity =
    "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/"
    "userAssignedIdentities/id1";

http::ServiceError capture(std::function<void()> const& action) {
  try {
    action();
  } catch (http::ServiceError const& error) {
    return error;
  }
  ADD_FAILURE() << "expected http::ServiceError";
  return http::ServiceError("none", {});
}

TEST_F(ArmClientTest, SendsJsonWithApiVersionAndHeaders) {
  transport->respond_json(201, R"({"name": "id1"})", headers({{"x-ms-request-id", "r1"}}));
  http::Headers extra;
  extra.set("If-Match", "\"etag\"");

  auto const answer = arm.send(
      http::Method::Put, k_identity, "2023-01-31", nlohmann::json{{"location", "eastus"}}, extra);

  EXPECT_EQ(answer.status, 201);
  EXPECT_EQ(answer.body["name"], "id1");
  EXPECT_EQ(answer.headers.get("x-ms-request-id"), "r1");
  auto const sent = request(0);
  EXPECT_EQ(sent.method, http::Method::Put);
  EXPECT_EQ(sent.url, std::string(k_endpoint) + k_identity + "?api-version=2023-01-31");
  EXPECT_EQ(sent.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(sent.headers.get("Accept"), "application/json");
  EXPECT_EQ(sent.headers.get("If-Match"), "\"etag\"");
  EXPECT_EQ(nlohmann::json::parse(sent.body), (nlohmann::json{{"location", "eastus"}}));
}

TEST_F(ArmClientTest, PathWithQueryGetsApiVersionAfterAmpersand) {
  transport->respond_json(200, R"({"value": []})");
  (void)arm.send(http::Method::Get, "/subscriptions/s/x?$top=5", "2022-04-01", std::nullopt);
  EXPECT_EQ(request(0).url, "https://arm.test/subscriptions/s/x?$top=5&api-version=2022-04-01");
  EXPECT_FALSE(request(0).headers.contains("Content-Type"));
  EXPECT_TRUE(request(0).body.empty());
}

TEST_F(ArmClientTest, EndpointSlashAndMissingLeadingSlashAreNormalised) {
  ArmClient const slashed{pipeline, "https://arm.test/"};
  transport->respond(200);
  auto const answer = slashed.send(http::Method::Post, "subscriptions/s/a", "1", std::nullopt);
  EXPECT_EQ(request(0).url, "https://arm.test/subscriptions/s/a?api-version=1");
  EXPECT_TRUE(answer.body.is_null());
}

TEST_F(ArmClientTest, GetReturnsNulloptOn404AndTheBodyOtherwise) {
  transport->respond_json(404, R"({"error": {"code": "ResourceNotFound", "message": "gone"}})");
  transport->respond_json(200, R"({"id": "x"})");
  EXPECT_FALSE(arm.get(k_identity, "2023-01-31").has_value());
  auto const found = arm.get(k_identity, "2023-01-31");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ((*found)["id"], "x");
  EXPECT_EQ(request(0).method, http::Method::Get);
}

TEST_F(ArmClientTest, RefusalBecomesServiceErrorWithSentenceAndFault) {
  transport->respond_json(
      403,
      R"({"error": {"code": "AuthorizationFailed", "message": "The client 'abc' does not have authorization to perform action 'Microsoft.ManagedIdentity/userAssignedIdentities/write' over scope '/subscriptions/sub1'."}})",
      headers({{"x-ms-request-id", "1234"}}));

  auto const error = capture([&] {
    (void)arm.send(http::Method::Put, k_identity, "2023-01-31", nlohmann::json::object());
  });

  EXPECT_EQ(std::string(error.what()),
            std::string("Azure refused PUT ") + k_identity +
                " (403 AuthorizationFailed): The client 'abc' does not have authorization to "
                "perform action 'Microsoft.ManagedIdentity/userAssignedIdentities/write' over "
                "scope '/subscriptions/sub1'; grant the signed-in principal that permission "
                "(request id 1234).");
  EXPECT_EQ(error.fault().status, 403);
  EXPECT_EQ(error.fault().code, "AuthorizationFailed");
  EXPECT_EQ(error.fault().request_id, "1234");
  EXPECT_EQ(error.fault().method, "PUT");
  EXPECT_EQ(error.fault().url, std::string(k_endpoint) + k_identity);
  EXPECT_EQ(error.exit_code(), core::ExitCode::ServiceError);
}

TEST_F(ArmClientTest, NonEnvelopeBodiesGiveEmptyCodeAndGenericMessage) {
  transport->respond(503, "<html><body>Service Unavailable</body></html>");
  transport->respond(502);
  auto const html = capture([&] { (void)arm.get(k_identity, "1"); });
  EXPECT_EQ(html.fault().code, "");
  EXPECT_EQ(html.fault().status, 503);
  EXPECT_NE(std::string(html.what()).find("(503): Azure Resource Manager or a gateway"),
            std::string::npos)
      << html.what();
  EXPECT_EQ(std::string(html.what()).find("html"), std::string::npos);
  auto const empty = capture([&] { (void)arm.get(k_identity, "1"); });
  EXPECT_EQ(empty.fault().status, 502);
  EXPECT_EQ(empty.fault().message, "");
}

TEST_F(ArmClientTest, BareCodeAndMessageAreAcceptedToo) {
  transport->respond_json(400, R"({"code": "BadRequest", "message": "bad thing."})");
  auto const error = capture([&] { (void)arm.get(k_identity, "1"); });
  EXPECT_EQ(error.fault().code, "BadRequest");
  EXPECT_EQ(std::string(error.what()),
            std::string("Azure refused GET ") + k_identity + " (400 BadRequest): bad thing.");
}

TEST_F(ArmClientTest, SentenceCarriesNoQueryString) {
  transport->respond_json(400, R"({"error": {"code": "InvalidParameter", "message": "nope"}})");
  auto const error = capture([&] {
    (void)arm.send(http::Method::Get, "/subscriptions/s/a?$skiptoken=SECRET", "1", std::nullopt);
  });
  EXPECT_EQ(std::string(error.what()).find("SECRET"), std::string::npos) << error.what();
  EXPECT_EQ(error.fault().url.find('?'), std::string::npos);
}

TEST_F(ArmClientTest, WellKnownCodesBecomeActionableSentences) {
  http::ServiceFault fault;
  fault.method = "GET";
  fault.url = std::string(k_endpoint) + k_identity;

  fault.status = 404;
  fault.code = "ResourceGroupNotFound";
  fault.message = "Resource group 'rg1' could not be found.";
  EXPECT_EQ(explain_arm_fault(fault),
            "resource group rg1 does not exist in subscription sub1; check --resource-group");

  fault.code = "SubscriptionNotFound";
  EXPECT_EQ(explain_arm_fault(fault),
            "subscription sub1 not found in this cloud; check "
            "--subscription/AZURE_SUBSCRIPTION_ID and --cloud");

  fault.status = 409;
  fault.code = "MissingSubscriptionRegistration";
  EXPECT_NE(explain_arm_fault(fault).find(
                "register the resource provider: az provider register --namespace "
                "Microsoft.ManagedIdentity"),
            std::string::npos);

  fault.status = 401;
  fault.code = "InvalidAuthenticationTokenTenant";
  fault.message = "The access token is from the wrong issuer.";
  EXPECT_EQ(explain_arm_fault(fault),
            "The access token is from the wrong issuer; set AZURE_TENANT_ID to the tenant that "
            "owns subscription sub1");

  fault.code = "ExpiredAuthenticationToken";
  EXPECT_NE(explain_arm_fault(fault).find("check AZURE_TENANT_ID, AZURE_CLIENT_ID"),
            std::string::npos);

  fault.status = 400;
  fault.code = "SomethingElse";
  fault.message = "Service words.";
  EXPECT_EQ(explain_arm_fault(fault), "Service words");
}

TEST_F(ArmClientTest, SuccessWithNonJsonBodyIsInvalidInput) {
  transport->respond(200, "<html>login page</html>");
  EXPECT_THROW((void)arm.get(k_identity, "1"), core::InvalidInput);
}

TEST_F(ArmClientTest, GetUrlAddsNoApiVersion) {
  transport->respond_json(200, R"({"status": "InProgress"})");
  auto const answer = arm.get_url("https://arm.test/subscriptions/s/operations/1?api-version=x");
  EXPECT_EQ(answer.body["status"], "InProgress");
  EXPECT_EQ(request(0).url, "https://arm.test/subscriptions/s/operations/1?api-version=x");
  EXPECT_EQ(request(0).method, http::Method::Get);
}

TEST_F(ArmClientTest, GetUrlAcceptsTheDefaultPortAndHostCase) {
  transport->respond_json(200, "{}");
  (void)arm.get_url("https://ARM.test:443/subscriptions/s");
  EXPECT_EQ(transport->requests().size(), 1U);
}

TEST_F(ArmClientTest, GetUrlRefusesAnotherHost) {
  EXPECT_THROW((void)arm.get_url("https://evil.test/subscriptions/s?api-version=1"),
               core::InvalidInput);
  EXPECT_THROW((void)arm.get_url("https://arm.test:8443/subscriptions/s"), core::InvalidInput);
  EXPECT_THROW((void)arm.get_url("http://arm.test/subscriptions/s"), core::InvalidInput);
  EXPECT_TRUE(transport->requests().empty());
}

} // namespace
} // namespace wisetup::azure
