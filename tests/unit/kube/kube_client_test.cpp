#include "support/fake_transport.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/kube/kube_client.hpp>

#include <gtest/gtest.h>

namespace wisetup::kube {
namespace {

using json = nlohmann::json;

class KubeClientTest : public ::testing::Test {
protected:
  std::shared_ptr<testing::FakeTransport> transport = std::make_shared<testing::FakeTransport>();
  KubeClient kube{
      std::make_shared<http::Pipeline>(std::vector<std::unique_ptr<http::Policy>>{}, transport),
      "https://api.test:443/"};

  [[nodiscard]] http::Request request(std::size_t index) const {
    auto const sent = transport->requests();
    if (index >= sent.size()) {
      ADD_FAILURE() << "only " << sent.size() << " requests were sent";
      return {};
    }
    return sent[index];
  }

  static std::string status(int code, std::string const& reason, std::string const& message) {
    return json{{"kind", "Status"},
                {"apiVersion", "v1"},
                {"status", "Failure"},
                {"message", message},
                {"reason", reason},
                {"code", code}}
        .dump();
  }
};

TEST_F(KubeClientTest, GetReturnsNulloptOn404) {
  transport->respond_json(404, status(404, "NotFound", "serviceaccounts \"sa\" not found"));
  transport->respond_json(404, status(404, "NotFound", "namespaces \"ns\" not found"));
  EXPECT_FALSE(kube.get_service_account("ns", "sa").has_value());
  EXPECT_FALSE(kube.get_namespace("ns").has_value());
  EXPECT_EQ(request(0).url, "https://api.test:443/api/v1/namespaces/ns/serviceaccounts/sa");
  EXPECT_EQ(request(0).method, http::Method::Get);
  EXPECT_EQ(request(1).url, "https://api.test:443/api/v1/namespaces/ns");
}

TEST_F(KubeClientTest, GetReturnsTheObject) {
  transport->respond_json(200, R"({"metadata": {"name": "sa", "annotations": {"a": "b"}}})");
  auto const account = kube.get_service_account("ns", "sa");
  ASSERT_TRUE(account.has_value());
  EXPECT_EQ((*account)["metadata"]["annotations"]["a"], "b");
}

TEST_F(KubeClientTest, NamesAreEncoded) {
  transport->respond(404);
  (void)kube.get_service_account("ns", "../secrets/x");
  EXPECT_EQ(request(0).url,
            "https://api.test:443/api/v1/namespaces/ns/serviceaccounts/..%2Fsecrets%2Fx");
  EXPECT_THROW((void)kube.get_namespace(""), core::InvalidInput);
}

TEST_F(KubeClientTest, MergePatchUsesItsContentType) {
  transport->respond_json(200, R"({"metadata": {"name": "sa"}})");
  json const patch{{"metadata", {{"annotations", {{"azure.workload.identity/client-id", "c"}}}}}};

  auto const patched = kube.merge_patch_service_account("ns", "sa", patch);

  EXPECT_EQ(patched["metadata"]["name"], "sa");
  EXPECT_EQ(request(0).method, http::Method::Patch);
  EXPECT_EQ(request(0).url, "https://api.test:443/api/v1/namespaces/ns/serviceaccounts/sa");
  EXPECT_EQ(request(0).headers.get("Content-Type"), "application/merge-patch+json");
  EXPECT_EQ(request(0).headers.get("Accept"), "application/json");
  EXPECT_EQ(json::parse(request(0).body), patch);
}

TEST_F(KubeClientTest, StatusObjectBecomesServiceError) {
  transport->respond_json(
      403,
      status(403,
             "Forbidden",
             "serviceaccounts \"sa\" is forbidden: User \"u\" cannot patch resource"),
      [] {
        http::Headers headers;
        headers.set("Audit-Id", "audit-1");
        return headers;
      }());
  try {
    (void)kube.merge_patch_service_account("ns", "sa", json::object());
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 403);
    EXPECT_EQ(error.fault().code, "Forbidden");
    EXPECT_EQ(error.fault().request_id, "audit-1");
    EXPECT_EQ(error.fault().method, "PATCH");
    EXPECT_EQ(std::string(error.what())
                  .rfind("Kubernetes refused PATCH serviceaccounts/ns/sa (403 Forbidden): "
                         "serviceaccounts \"sa\" is forbidden: User \"u\" cannot patch resource",
                         0),
              0U)
        << error.what();
  }
}

TEST_F(KubeClientTest, NonStatusErrorBodyStillGivesASentence) {
  transport->respond(401, "Unauthorized");
  try {
    (void)kube.get_namespace("ns");
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().code, "");
    EXPECT_NE(std::string(error.what()).find("Kubernetes refused GET namespaces/ns (401)"),
              std::string::npos)
        << error.what();
  }
}

TEST_F(KubeClientTest, CreateNamespaceToleratesAlreadyExists) {
  transport->respond_json(201, R"({"metadata": {"name": "ns"}})");
  transport->respond_json(409, status(409, "AlreadyExists", "namespaces \"ns\" already exists"));
  transport->respond_json(409, status(409, "Conflict", "something else"));

  kube.create_namespace("ns");
  EXPECT_NO_THROW(kube.create_namespace("ns"));
  EXPECT_THROW(kube.create_namespace("ns"), http::ServiceError);

  EXPECT_EQ(request(0).method, http::Method::Post);
  EXPECT_EQ(request(0).url, "https://api.test:443/api/v1/namespaces");
  EXPECT_EQ(request(0).headers.get("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(request(0).body), json::parse(R"({"apiVersion": "v1", "kind": "Namespace",
                            "metadata": {"name": "ns"}})"));
}

TEST_F(KubeClientTest, CreateServiceAccountPostsTheBody) {
  json const body{{"apiVersion", "v1"},
                  {"kind", "ServiceAccount"},
                  {"metadata", {{"name", "sa"}, {"namespace", "ns"}}}};
  transport->respond_json(201, body.dump());
  transport->respond_json(409, status(409, "AlreadyExists", "exists"));

  EXPECT_EQ(kube.create_service_account("ns", body), body);
  EXPECT_EQ(request(0).method, http::Method::Post);
  EXPECT_EQ(request(0).url, "https://api.test:443/api/v1/namespaces/ns/serviceaccounts");
  EXPECT_EQ(json::parse(request(0).body), body);
  try {
    (void)kube.create_service_account("ns", body);
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().code, "AlreadyExists");
    EXPECT_NE(std::string(error.what()).find("POST serviceaccounts/ns/sa (409 AlreadyExists)"),
              std::string::npos)
        << error.what();
  }
}

TEST_F(KubeClientTest, SuccessWithNonJsonBodyIsInvalidInput) {
  transport->respond(200, "<html></html>");
  EXPECT_THROW((void)kube.get_namespace("ns"), core::InvalidInput);
}

} // namespace
} // namespace wisetup::kube

namespace wisetup::kube {
namespace {

class KubeClientOperationsTest : public KubeClientTest {};

TEST_F(KubeClientOperationsTest, DeleteServiceAccountSendsPreconditions) {
  transport->respond_json(200, R"({"kind": "ServiceAccount", "metadata": {"name": "sa"}})");
  EXPECT_TRUE(kube.delete_service_account("ns", "sa", "uid-1", "42"));
  EXPECT_EQ(request(0).method, http::Method::Delete);
  EXPECT_EQ(request(0).url, "https://api.test:443/api/v1/namespaces/ns/serviceaccounts/sa");
  EXPECT_EQ(request(0).headers.get("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(request(0).body), json::parse(R"({"apiVersion": "v1",
      "kind": "DeleteOptions", "preconditions": {"uid": "uid-1", "resourceVersion": "42"}})"));
}

TEST_F(KubeClientOperationsTest, DeleteServiceAccountLeavesOutEmptyPreconditions) {
  transport->respond_json(202, R"({"kind": "Status", "status": "Success"})");
  transport->respond_json(200, "{}");
  transport->respond_json(200, "{}");
  EXPECT_TRUE(kube.delete_service_account("ns", "sa", "", "7"));
  EXPECT_TRUE(kube.delete_service_account("ns", "sa", "u", ""));
  EXPECT_TRUE(kube.delete_service_account("ns", "sa", "", ""));
  EXPECT_EQ(json::parse(request(0).body)["preconditions"],
            json::parse(R"({"resourceVersion": "7"})"));
  EXPECT_EQ(json::parse(request(1).body)["preconditions"], json::parse(R"({"uid": "u"})"));
  EXPECT_FALSE(json::parse(request(2).body).contains("preconditions"));
}

TEST_F(KubeClientOperationsTest, DeleteServiceAccountAlreadyGoneAndConflict) {
  transport->respond_json(404, status(404, "NotFound", "serviceaccounts \"sa\" not found"));
  transport->respond_json(
      409,
      status(409,
             "Conflict",
             "Operation cannot be fulfilled on ServiceAccount \"sa\": Precondition failed: UID in "
             "precondition: uid-1, UID in object meta: uid-2"));
  EXPECT_FALSE(kube.delete_service_account("ns", "sa", "uid-1", ""));
  try {
    (void)kube.delete_service_account("ns", "sa", "uid-1", "");
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 409);
    EXPECT_EQ(error.fault().code, "Conflict");
    EXPECT_NE(std::string(error.what()).find("DELETE serviceaccounts/ns/sa (409 Conflict)"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW((void)kube.delete_service_account("ns", "", "", ""), core::InvalidInput);
}

TEST_F(KubeClientOperationsTest, CreateTokenPostsATokenRequest) {
  transport->respond_json(201, R"({"apiVersion": "authentication.k8s.io/v1",
      "kind": "TokenRequest", "status": {"token": "eyJhbGciOi.payload.sig",
      "expirationTimestamp": "2030-01-01T00:00:00Z"}})");
  auto const token =
      kube.create_token("ns", "sa", "api://AzureADTokenExchange", std::chrono::seconds{3600});
  EXPECT_EQ(token, "eyJhbGciOi.payload.sig");
  EXPECT_EQ(request(0).method, http::Method::Post);
  EXPECT_EQ(request(0).url, "https://api.test:443/api/v1/namespaces/ns/serviceaccounts/sa/token");
  EXPECT_EQ(request(0).headers.get("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(request(0).body), json::parse(R"({
      "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
      "spec": {"audiences": ["api://AzureADTokenExchange"], "expirationSeconds": 3600}})"));
}

TEST_F(KubeClientOperationsTest, CreateTokenErrorsNeverShowAToken) {
  transport->respond_json(201, R"({"status": {"expirationTimestamp": "x"}})");
  transport->respond_json(
      422, status(422, "Invalid", "may not specify a duration less than 10 minutes"));
  transport->respond_json(
      403, status(403, "Forbidden", "cannot create resource \"serviceaccounts/token\""));
  EXPECT_THROW((void)kube.create_token("ns", "sa", "aud", std::chrono::seconds{3600}),
               core::InvalidInput);
  try {
    (void)kube.create_token("ns", "sa", "aud", std::chrono::seconds{60});
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 422);
    EXPECT_EQ(error.fault().code, "Invalid");
    EXPECT_NE(std::string(error.what()).find("POST serviceaccounts/ns/sa/token (422 Invalid)"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW((void)kube.create_token("ns", "sa", "aud", std::chrono::seconds{3600}),
               http::ServiceError);
}

TEST_F(KubeClientOperationsTest, ListPodsSelectsByServiceAccountAndFollowsContinue) {
  transport->respond_json(200, R"({"kind": "PodList", "metadata": {"continue": "tok/1"},
      "items": [{"metadata": {"name": "p1"}}, {"metadata": {"name": "p2"}}]})");
  transport->respond_json(200, R"({"kind": "PodList", "metadata": {},
      "items": [{"metadata": {"name": "p3"}}]})");
  auto const pods = kube.list_pods("ns", "sa");
  ASSERT_EQ(pods.size(), 3U);
  EXPECT_EQ(pods[0]["metadata"]["name"], "p1");
  EXPECT_EQ(pods[2]["metadata"]["name"], "p3");
  EXPECT_EQ(request(0).method, http::Method::Get);
  EXPECT_EQ(request(0).url,
            "https://api.test:443/api/v1/namespaces/ns/pods?fieldSelector="
            "spec.serviceAccountName%3Dsa");
  EXPECT_EQ(request(1).url,
            "https://api.test:443/api/v1/namespaces/ns/pods?fieldSelector="
            "spec.serviceAccountName%3Dsa&continue=tok%2F1");
}

TEST_F(KubeClientOperationsTest, ListPodsEncodesTheSelectorAndThrowsOnRefusal) {
  transport->respond_json(200, R"({"items": []})");
  transport->respond_json(403, status(403, "Forbidden", "cannot list resource \"pods\""));
  EXPECT_TRUE(kube.list_pods("ns", "a,b=c&d").empty());
  EXPECT_EQ(request(0).url,
            "https://api.test:443/api/v1/namespaces/ns/pods?fieldSelector="
            "spec.serviceAccountName%3Da%2Cb%3Dc%26d");
  EXPECT_THROW((void)kube.list_pods("ns", "sa"), http::ServiceError);
  EXPECT_THROW((void)kube.list_pods("ns", ""), core::InvalidInput);
}

TEST_F(KubeClientOperationsTest, CanIPostsASelfSubjectAccessReview) {
  transport->respond_json(201, R"({"status": {"allowed": true}})");
  EXPECT_TRUE(kube.can_i("create", "serviceaccounts", "ns", "token"));
  EXPECT_EQ(request(0).method, http::Method::Post);
  EXPECT_EQ(request(0).url,
            "https://api.test:443/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
  EXPECT_EQ(json::parse(request(0).body), json::parse(R"({
      "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
      "spec": {"resourceAttributes": {"namespace": "ns", "verb": "create",
               "resource": "serviceaccounts", "subresource": "token"}}})"));
}

TEST_F(KubeClientOperationsTest, CanIClusterScopedAndDenied) {
  transport->respond_json(201, R"({"status": {"allowed": false, "reason": "no"}})");
  transport->respond_json(201, R"({"status": {}})");
  transport->respond_json(401, status(401, "Unauthorized", "Unauthorized"));
  EXPECT_FALSE(kube.can_i("create", "namespaces", ""));
  EXPECT_EQ(json::parse(request(0).body)["spec"],
            json::parse(R"({"resourceAttributes": {"verb": "create", "resource": "namespaces"}})"));
  EXPECT_FALSE(kube.can_i("list", "pods", "ns"));
  EXPECT_THROW((void)kube.can_i("list", "pods", "ns"), http::ServiceError);
}

} // namespace
} // namespace wisetup::kube
