#include "unit/steps/step_fixture.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/steps/service_account_step.hpp>

namespace wisetup::steps {
namespace service_account_step_test {

// A kubeconfig as listClusterUserCredential returns it (base64 of YAML).
constexpr char const* k_kubeconfig_yaml = R"(apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster:
    server: https://kube.test
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
users:
- name: clusterUser_g_c1
  user:
    token: static-token
contexts:
- name: c1
  context:
    cluster: c1
    user: clusterUser_g_c1
current-context: c1
)";

std::string base64(std::string const& text) {
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t index = 0;
  for (; index + 2 < text.size(); index += 3) {
    auto const n = (static_cast<unsigned char>(text[index]) << 16U) |
                   (static_cast<unsigned char>(text[index + 1]) << 8U) |
                   static_cast<unsigned char>(text[index + 2]);
    out += {k_alphabet[(n >> 18U) & 63U],
            k_alphabet[(n >> 12U) & 63U],
            k_alphabet[(n >> 6U) & 63U],
            k_alphabet[n & 63U]};
  }
  if (index + 1 == text.size()) {
    auto const n = static_cast<unsigned char>(text[index]) << 16U;
    out += {k_alphabet[(n >> 18U) & 63U], k_alphabet[(n >> 12U) & 63U], '=', '='};
  } else if (index + 2 == text.size()) {
    auto const n = (static_cast<unsigned char>(text[index]) << 16U) |
                   (static_cast<unsigned char>(text[index + 1]) << 8U);
    out += {k_alphabet[(n >> 18U) & 63U],
            k_alphabet[(n >> 12U) & 63U],
            k_alphabet[(n >> 6U) & 63U],
            '='};
  }
  return out;
}

class ServiceAccountStepTest : public StepFixture {
protected:
  void SetUp() override {
    set_common_inputs();
    arm_transport->respond_json(
        200,
        nlohmann::json{
            {"kubeconfigs", {{{"name", "clusterUser"}, {"value", base64(k_kubeconfig_yaml)}}}}}
            .dump());
  }

  ServiceAccountStep step{services};
};

TEST_F(ServiceAccountStepTest, AccountOfAnotherIdentityIsNotRePointed) {
  kube_transport->respond_json(200,
                               R"({"metadata": {"name": "web", "annotations": {
          "azure.workload.identity/client-id": "someone-elses-client-id"}}})");
  try {
    (void)step.observe(state, progress);
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    EXPECT_NE(std::string(error.what()).find("someone-elses-client-id"), std::string::npos);
  }
  EXPECT_TRUE(writes(*kube_transport).empty());
}

TEST_F(ServiceAccountStepTest, MergePatchesOnlyOurAnnotationsOntoAnExistingAccount) {
  kube_transport->respond_json(
      200,
      R"({"metadata": {"name": "web", "namespace": "apps", "labels": {"team": "a"},
          "annotations": {"keep": "me"}}})");
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::Update);
  kube_transport->respond_json(200, R"({"metadata": {"name": "web"}})");
  (void)step.apply(state, progress);
  auto const patch = writes(*kube_transport).at(0);
  EXPECT_EQ(patch.method, http::Method::Patch);
  EXPECT_EQ(patch.url, "https://kube.test/api/v1/namespaces/apps/serviceaccounts/web");
  EXPECT_EQ(patch.headers.get("Content-Type"), "application/merge-patch+json");
  EXPECT_EQ(nlohmann::json::parse(patch.body),
            nlohmann::json::parse(R"({"metadata": {"annotations": {
              "azure.workload.identity/client-id": "client-1",
              "azure.workload.identity/tenant-id": "tenant-1"}}})"));
  EXPECT_EQ(state.get(keys::service_account_subject), "system:serviceaccount:apps:web");
}

TEST_F(ServiceAccountStepTest, AnnotatedAccountIsInSync) {
  kube_transport->respond_json(200, R"({"metadata": {"name": "web", "annotations": {
      "azure.workload.identity/client-id": "client-1",
      "azure.workload.identity/tenant-id": "tenant-1"}}})");
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::InSync);
  EXPECT_TRUE(writes(*kube_transport).empty());
}

TEST_F(ServiceAccountStepTest, CreatesTheNamespaceWhenMissingThenTheAccount) {
  kube_transport->respond_json(404, R"({"kind": "Status", "reason": "NotFound", "code": 404})");
  kube_transport->respond_json(404, R"({"kind": "Status", "reason": "NotFound", "code": 404})");
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::Create);
  kube_transport->respond_json(201, R"({"metadata": {"name": "apps"}})");
  kube_transport->respond_json(201, R"({"metadata": {"name": "web"}})");
  (void)step.apply(state, progress);
  auto const posts = writes(*kube_transport);
  ASSERT_EQ(posts.size(), 2U);
  EXPECT_EQ(posts[0].url, "https://kube.test/api/v1/namespaces");
  EXPECT_EQ(posts[1].url, "https://kube.test/api/v1/namespaces/apps/serviceaccounts");
  auto const body = nlohmann::json::parse(posts[1].body);
  EXPECT_EQ(body["metadata"]["annotations"]["azure.workload.identity/client-id"], "client-1");
  EXPECT_EQ(body["metadata"]["namespace"], "apps");
}

TEST_F(ServiceAccountStepTest, AccountCreatedMeanwhileIsAnnotatedInstead) {
  kube_transport->respond_json(404, R"({"kind": "Status", "reason": "NotFound", "code": 404})");
  kube_transport->respond_json(200, R"({"metadata": {"name": "apps"}})");
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::Create);
  kube_transport->respond_json(409,
                               R"({"kind": "Status", "reason": "AlreadyExists", "code": 409})");
  kube_transport->respond_json(200, R"({"metadata": {"name": "web", "annotations": {"a": "b"}}})");
  kube_transport->respond_json(200, R"({"metadata": {"name": "web"}})");
  EXPECT_EQ(step.apply(state, progress), "annotated apps/web, created meanwhile");
  auto const sent = writes(*kube_transport);
  ASSERT_EQ(sent.size(), 2U);
  EXPECT_EQ(sent[1].method, http::Method::Patch);
}

} // namespace service_account_step_test
} // namespace wisetup::steps
