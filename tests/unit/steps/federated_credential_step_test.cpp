#include "unit/steps/step_fixture.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/steps/enable_reads.hpp>
#include <wisetup/steps/federated_credential_step.hpp>

namespace wisetup::steps {
namespace {

class FederatedCredentialStepTest : public StepFixture {
protected:
  void SetUp() override { set_common_inputs(); }

  void existing(nlohmann::json credentials) {
    arm_transport->respond_json(200, nlohmann::json{{"value", std::move(credentials)}}.dump());
  }

  static nlohmann::json credential(std::string const& name,
                                   std::string const& issuer,
                                   std::string const& subject,
                                   std::string const& audience = "api://AzureADTokenExchange") {
    return {{"name", name},
            {"properties", {{"issuer", issuer}, {"subject", subject}, {"audiences", {audience}}}}};
  }

  FederatedCredentialStep step{services, false};
};

TEST_F(FederatedCredentialStepTest, CreatesTheCredentialWithExactValues) {
  existing(nlohmann::json::array());
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Create);
  arm_transport->respond_json(
      201,
      credential("apps-web", "https://issuer.test/tenant/abc/", "system:serviceaccount:apps:web")
          .dump());
  (void)step.apply(state, progress);
  auto const put = writes(*arm_transport).at(0);
  EXPECT_EQ(put.method, http::Method::Put);
  EXPECT_NE(put.url.find("/userAssignedIdentities/id1/federatedIdentityCredentials/apps-web?"),
            std::string::npos);
  auto const body = nlohmann::json::parse(put.body);
  EXPECT_EQ(body["properties"]["issuer"], "https://issuer.test/tenant/abc/");
  EXPECT_EQ(body["properties"]["subject"], "system:serviceaccount:apps:web");
  EXPECT_EQ(body["properties"]["audiences"], nlohmann::json::array({"api://AzureADTokenExchange"}));
  EXPECT_EQ(state.get(keys::federated_credential).name, "apps-web");
}

TEST_F(FederatedCredentialStepTest, ConcurrentWriteRefusedWith409IsWrittenAgain) {
  existing(nlohmann::json::array());
  (void)step.observe(state, progress);
  arm_transport->respond_json(
      409,
      R"({"error": {"code": "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
          "message": "Too many writes."}})");
  arm_transport->respond_json(
      201,
      credential("apps-web", "https://issuer.test/tenant/abc/", "system:serviceaccount:apps:web")
          .dump());
  (void)step.apply(state, progress);
  EXPECT_EQ(writes(*arm_transport).size(), 2U);
  EXPECT_EQ(clock->sleeps(), std::vector<std::chrono::milliseconds>{std::chrono::seconds{1}});
}

TEST_F(FederatedCredentialStepTest, SamePairUnderAnotherNameIsReusedWithoutWriting) {
  existing(nlohmann::json::array({credential(
      "older-name", "https://issuer.test/tenant/abc/", "system:serviceaccount:apps:web")}));
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::InSync);
  EXPECT_NE(observation.detail.find("older-name"), std::string::npos);
  EXPECT_EQ(state.get(keys::federated_credential).name, "older-name");
  EXPECT_TRUE(writes(*arm_transport).empty());
}

TEST_F(FederatedCredentialStepTest, AListReadAheadThatFederatesIsTakenWithoutARequest) {
  services.read_ahead->start(reads::federated_credentials, [] {
    return std::vector<azure::FederatedCredential>{{"apps-web",
                                                    "https://issuer.test/tenant/abc/",
                                                    "system:serviceaccount:apps:web",
                                                    {"api://AzureADTokenExchange"}}};
  });
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::InSync);
  EXPECT_TRUE(arm_transport->requests().empty());
}

TEST_F(FederatedCredentialStepTest, AChangeIsDecidedOnAFreshListNotTheOneReadAhead) {
  // Read before the cluster update: nothing there yet.
  services.read_ahead->start(reads::federated_credentials,
                             [] { return std::vector<azure::FederatedCredential>{}; });
  // Meanwhile another run gave our name to another subject: that must still be refused.
  existing(nlohmann::json::array({credential(
      "apps-web", "https://issuer.test/tenant/abc/", "system:serviceaccount:other:sa")}));
  EXPECT_THROW((void)step.observe(state, progress), core::InvalidInput);
  EXPECT_EQ(arm_transport->requests().size(), 1U);
}

TEST_F(FederatedCredentialStepTest, OurNameWithAnotherIssuerIsAnotherClustersAndIsRefused) {
  existing(nlohmann::json::array(
      {credential("apps-web", "https://other-cluster.test/", "system:serviceaccount:apps:web")}));
  try {
    (void)step.observe(state, progress);
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    EXPECT_NE(std::string(error.what()).find("https://other-cluster.test/"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("--repair-issuer"), std::string::npos);
  }
  EXPECT_TRUE(writes(*arm_transport).empty());
}

TEST_F(FederatedCredentialStepTest, RepairIssuerRepointsOurCredentialAtTheClustersIssuer) {
  FederatedCredentialStep repairing{services, true};
  existing(nlohmann::json::array(
      {credential("apps-web", "https://old-cluster.test/", "system:serviceaccount:apps:web")}));
  auto const observation = repairing.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Update);
  ASSERT_EQ(observation.changes.size(), 1U);
  EXPECT_EQ(observation.changes[0].field, "issuer");
  EXPECT_EQ(observation.changes[0].before, "https://old-cluster.test/");
  EXPECT_EQ(observation.changes[0].after, "https://issuer.test/tenant/abc/");
  arm_transport->respond_json(
      200,
      credential("apps-web", "https://issuer.test/tenant/abc/", "system:serviceaccount:apps:web")
          .dump());
  (void)repairing.apply(state, progress);
  auto const body = nlohmann::json::parse(writes(*arm_transport).at(0).body);
  EXPECT_EQ(body["properties"]["issuer"], "https://issuer.test/tenant/abc/");
}

TEST_F(FederatedCredentialStepTest, PlanForANewIdentityListsNothingAndShowsTheCredential) {
  auto planned = state.get(keys::managed_identity);
  planned.client_id = std::string(workflow::k_known_after_enable);
  state.set(keys::managed_identity, planned);
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Create);
  EXPECT_TRUE(arm_transport->requests().empty());
  ASSERT_EQ(observation.changes.size(), 4U);
  EXPECT_EQ(observation.changes[2].after, "system:serviceaccount:apps:web");
}

TEST_F(FederatedCredentialStepTest, OurCredentialWithAnotherAudienceIsUpdated) {
  existing(nlohmann::json::array({credential("apps-web",
                                             "https://issuer.test/tenant/abc/",
                                             "system:serviceaccount:apps:web",
                                             "api://old-audience")}));
  EXPECT_EQ(step.observe(state, progress).drift, workflow::Drift::Update);
}

TEST_F(FederatedCredentialStepTest, OurNameFederatingAnotherSubjectIsRefused) {
  existing(nlohmann::json::array({credential(
      "apps-web", "https://issuer.test/tenant/abc/", "system:serviceaccount:other:sa")}));
  EXPECT_THROW((void)step.observe(state, progress), core::InvalidInput);
}

TEST_F(FederatedCredentialStepTest, SamePairWithAnotherAudienceUnderAnotherNameIsRefused) {
  existing(nlohmann::json::array({credential("theirs",
                                             "https://issuer.test/tenant/abc/",
                                             "system:serviceaccount:apps:web",
                                             "api://custom")}));
  try {
    (void)step.observe(state, progress);
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    EXPECT_NE(std::string(error.what()).find("--audience api://custom"), std::string::npos);
  }
}

TEST_F(FederatedCredentialStepTest, TwentyCredentialsAreTheLimit) {
  auto many = nlohmann::json::array();
  for (int index = 0; index < 20; ++index) {
    auto const number = std::to_string(index);
    std::string name = "credential-";
    name += number;
    std::string subject = "system:serviceaccount:n:s";
    subject += number;
    many.push_back(credential(name, "https://issuer.test/", subject));
  }
  existing(many);
  EXPECT_THROW((void)step.observe(state, progress), core::InvalidInput);
}

} // namespace
} // namespace wisetup::steps
