#include "sim_fixture.hpp"

namespace wisetup::sim::testing {
namespace {

using ArmBasicsTest = SimFixture;

std::string const k_get_cluster = "?api-version=2024-09-01";

TEST_F(ArmBasicsTest, MissingTokenIs401WithChallenge) {
  Answer const answer = send("GET", cluster_path() + k_get_cluster);
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.json["error"]["code"], "AuthenticationFailed");
  EXPECT_NE(answer.header("WWW-Authenticate").find("Bearer authorization_uri="), std::string::npos);
}

TEST_F(ArmBasicsTest, UnknownTokenIsInvalidAuthenticationToken) {
  Answer const answer = send(
      "GET", cluster_path() + k_get_cluster, {}, {}, {{"Authorization", "Bearer abc.def.ghi"}});
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.json["error"]["code"], "InvalidAuthenticationToken");
}

TEST_F(ArmBasicsTest, ExpiredTokenIsExpiredAuthenticationToken) {
  std::string const bearer = token();
  ASSERT_EQ(send("POST", "/_sim/tokens/expire").status, 200);
  Answer const answer =
      send("GET", cluster_path() + k_get_cluster, {}, {}, {{"Authorization", "Bearer " + bearer}});
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.json["error"]["code"], "ExpiredAuthenticationToken");
}

TEST_F(ArmBasicsTest, GraphTokenHasTheWrongAudience) {
  std::string const graph =
      request_token(k_demo_client, k_demo_secret, "https://graph.microsoft.com/.default")
          .json["access_token"];
  Answer const answer =
      send("GET", cluster_path() + k_get_cluster, {}, {}, {{"Authorization", "Bearer " + graph}});
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.json["error"]["code"], "InvalidAuthenticationTokenAudience");
}

TEST_F(ArmBasicsTest, ApiVersionIsRequiredAndChecked) {
  Answer const missing = arm("GET", cluster_path());
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json["error"]["code"], "MissingApiVersionParameter");

  Answer const invalid = arm("GET", cluster_path() + "?api-version=2019-01-01");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(invalid.json["error"]["code"], "InvalidApiVersionParameter");
  std::string const message = invalid.json["error"]["message"];
  EXPECT_EQ(
      message.rfind("The api-version '2019-01-01' is invalid. The supported versions are '", 0),
      0u);
  EXPECT_NE(message.find("2024-09-01"), std::string::npos);

  for (char const* version : {"2023-02-01", "2024-09-01", "2025-10-01", "2026-07-01"}) {
    EXPECT_EQ(arm("GET", cluster_path() + "?api-version=" + version).status, 200) << version;
  }
  EXPECT_EQ(arm("GET", identity_path("none") + "?api-version=2024-09-01").json["error"]["code"],
            "InvalidApiVersionParameter")
      << "versions are per resource type";
}

TEST_F(ArmBasicsTest, MissingSubscriptionGroupAndResourceAre404s) {
  Answer const subscription =
      arm("GET",
          "/subscriptions/99999999-0000-0000-0000-000000000000/resourceGroups/myResourceGroup/"
          "providers/Microsoft.ContainerService/managedClusters/myAKSCluster" +
              k_get_cluster);
  EXPECT_EQ(subscription.status, 404);
  EXPECT_EQ(subscription.json["error"]["code"], "SubscriptionNotFound");

  Answer const group =
      arm("GET",
          resource_path("nope", "Microsoft.ContainerService/managedClusters/myAKSCluster") +
              k_get_cluster);
  EXPECT_EQ(group.status, 404);
  EXPECT_EQ(group.json["error"]["code"], "ResourceGroupNotFound");

  Answer const resource =
      arm("GET",
          resource_path("myResourceGroup", "Microsoft.ContainerService/managedClusters/x") +
              k_get_cluster);
  EXPECT_EQ(resource.status, 404);
  EXPECT_EQ(resource.json["error"]["code"], "ResourceNotFound");
  EXPECT_EQ(resource.json["error"]["message"],
            "The Resource 'Microsoft.ContainerService/managedClusters/x' under resource group "
            "'myResourceGroup' was not found. For more details please go to "
            "https://aka.ms/ARMResourceNotFoundFix");
}

TEST_F(ArmBasicsTest, ResourceIdsAreCaseInsensitive) {
  std::string path = cluster_path();
  std::transform(path.begin(), path.end(), path.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  Answer const answer = arm("GET", path + k_get_cluster);
  ASSERT_EQ(answer.status, 200) << answer.text;
  EXPECT_EQ(answer.json["name"], "myAKSCluster");
}

TEST_F(ArmBasicsTest, MalformedJsonIsInvalidRequestContent) {
  Answer const answer = send("PUT",
                             identity_path("id1") + "?api-version=2023-01-31",
                             "{\"location\": ",
                             "application/json",
                             {{"Authorization", "Bearer " + token()}});
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.json["error"]["code"], "InvalidRequestContent");
}

TEST_F(ArmBasicsTest, DiagnosticHeadersAreSetAndEchoed) {
  Answer const answer =
      arm("GET",
          cluster_path() + k_get_cluster,
          nullptr,
          {{"x-ms-client-request-id", "client-123"}, {"x-ms-correlation-request-id", "corr-456"}});
  EXPECT_EQ(answer.header("x-ms-client-request-id"), "client-123");
  EXPECT_EQ(answer.header("x-ms-correlation-request-id"), "corr-456");
  EXPECT_EQ(answer.header("x-ms-request-id").size(), 36u);
  EXPECT_FALSE(answer.header("x-ms-ratelimit-remaining-subscription-reads").empty());
  Answer const generated = arm("GET", cluster_path() + k_get_cluster);
  EXPECT_EQ(generated.header("x-ms-correlation-request-id").size(), 36u);
}

TEST_F(ArmBasicsTest, ReaderOnlyPrincipalGetsAuthorizationFailed) {
  std::string const reader = request_token(k_reader_client, k_reader_secret).json["access_token"];
  httplib::Headers const headers{{"Authorization", "Bearer " + reader}};
  EXPECT_EQ(send("GET", cluster_path() + k_get_cluster, {}, {}, headers).status, 200);
  Answer const answer = send("PUT",
                             identity_path("id1") + "?api-version=2023-01-31",
                             R"({"location":"eastus"})",
                             "application/json",
                             headers);
  EXPECT_EQ(answer.status, 403);
  EXPECT_EQ(answer.json["error"]["code"], "AuthorizationFailed");
  EXPECT_EQ(answer.json["error"]["message"],
            "The client 'bbbbbbbb-0000-4000-8000-0000000000a2' with object id "
            "'bbbbbbbb-0000-4000-8000-0000000000a2' does not have authorization to perform action "
            "'Microsoft.ManagedIdentity/userAssignedIdentities/write' over scope '" +
                identity_path("id1") +
                "' or the scope is invalid. If access was recently granted, please refresh your "
                "credentials.");
}

TEST_F(ArmBasicsTest, InjectedFaultsAnswerInsteadOfServing) {
  Answer const armed = send("POST",
                            "/_sim/faults",
                            R"({"method":"GET","path_regex":"managedClusters/myAKSCluster$",
                                "status":429,"times":2,"retry_after":1,"code":"TooManyRequests"})",
                            "application/json");
  ASSERT_EQ(armed.status, 201) << armed.text;
  for (int i = 0; i < 2; ++i) {
    Answer const throttled = arm("GET", cluster_path() + k_get_cluster);
    EXPECT_EQ(throttled.status, 429);
    EXPECT_EQ(throttled.header("Retry-After"), "1");
    EXPECT_EQ(throttled.json["error"]["code"], "TooManyRequests");
  }
  EXPECT_EQ(arm("GET", cluster_path() + k_get_cluster).status, 200);
  EXPECT_TRUE(send("GET", "/_sim/faults").json.empty());
}

TEST_F(ArmBasicsTest, BadFaultIsRejectedNamingTheField) {
  Answer const answer =
      send("POST", "/_sim/faults", R"({"path_regex":"(","status":500})", "application/json");
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.json["error"].get<std::string>().find("path_regex"), std::string::npos);
}

TEST_F(ArmBasicsTest, RequestLogRecordsServiceStatusAndWrites) {
  (void)token();
  (void)arm("GET", cluster_path() + k_get_cluster);
  (void)arm("PUT", identity_path("logged") + "?api-version=2023-01-31", {{"location", "eastus"}});
  (void)arm("POST", cluster_path() + "/listClusterUserCredential?api-version=2024-09-01");
  nlohmann::json const log = send("GET", "/_sim/requests").json;
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[1]["service"], "arm");
  EXPECT_EQ(log[1]["method"], "GET");
  EXPECT_EQ(log[1]["path"], cluster_path());
  EXPECT_EQ(log[1]["query"], "api-version=2024-09-01");
  EXPECT_EQ(log[1]["status"], 200);
  EXPECT_EQ(log[1]["write"], false);
  EXPECT_EQ(log[2]["write"], true);
  EXPECT_EQ(log[2]["status"], 201);
  EXPECT_EQ(log[3]["write"], false) << "listClusterUserCredential only reads";
  EXPECT_LT(log[0]["seq"], log[1]["seq"]);
  EXPECT_EQ(log.dump().find(token()), std::string::npos);

  ASSERT_EQ(send("POST", "/_sim/requests/clear").status, 200);
  EXPECT_TRUE(send("GET", "/_sim/requests").json.empty());
}

TEST_F(ArmBasicsTest, ResourceGroupAndSubscriptionCanBeRead) {
  Answer const group = arm("GET",
                           std::string("/subscriptions/") + k_subscription +
                               "/resourceGroups/identities-rg?api-version=2021-04-01");
  ASSERT_EQ(group.status, 200) << group.text;
  EXPECT_EQ(group.json["location"], "eastus");
  Answer const subscription =
      arm("GET", std::string("/subscriptions/") + k_subscription + "?api-version=2022-12-01");
  EXPECT_EQ(subscription.json["tenantId"], k_tenant);
}

} // namespace
} // namespace wisetup::sim::testing
