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
