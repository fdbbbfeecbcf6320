// plan: a step that tries to write through a read-only pipeline fails before anything is sent,
// and each step says, field by field, what enable would change.
#include "unit/steps/step_fixture.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/read_only_policy.hpp>
#include <wisetup/steps/cluster_features_step.hpp>
#include <wisetup/steps/managed_identity_step.hpp>
#include <wisetup/steps/oidc_issuer_step.hpp>

namespace wisetup::steps {
namespace {

nlohmann::json cluster_without_features() {
  return {{"id",
           "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/"
           "managedClusters/c1"},
          {"name", "c1"},
          {"location", "westeurope"},
          {"eTag", "etag-1"},
          {"properties",
           {{"provisioningState", "Succeeded"},
            {"powerState", {{"code", "Running"}}},
            {"oidcIssuerProfile", {{"enabled", false}}},
            {"securityProfile", {{"workloadIdentity", {{"enabled", false}}}}}}}};
}

/// The fixture's clients, but over a pipeline that refuses writes, as plan builds it.
class PlanTest : public StepFixture {
protected:
  std::shared_ptr<testing::FakeTransport> plan_transport =
      std::make_shared<testing::FakeTransport>();
  azure::ArmClient read_only_arm{std::make_shared<http::Pipeline>(
                                     [] {
                                       std::vector<std::unique_ptr<http::Policy>> policies;
                                       policies.push_back(std::make_unique<http::ReadOnlyPolicy>());
                                       return policies;
                                     }(),
                                     plan_transport),
                                 "https://arm.test"};
  azure::LongRunningOperation read_only_lro{read_only_arm, clock, {}};
  azure::ManagedClusterClient read_only_clusters{read_only_arm, read_only_lro};
  azure::ManagedIdentityClient read_only_identities{read_only_arm};
  Services plan_services{read_only_clusters,
                         read_only_identities,
                         key_vaults,
                         role_assignments,
                         services.connect_kubernetes,
                         clock};
};

TEST_F(PlanTest, AStepThatWritesDuringAPlanFailsBeforeSending) {
  state.set(keys::cluster, azure::ResourceRef{"s", "g", "c1"});
  ClusterFeaturesStep step{plan_services};
  plan_transport->respond_json(200, cluster_without_features().dump());
  ASSERT_EQ(step.observe(state, progress).drift, workflow::Drift::Update);
  try {
    (void)step.apply(state, progress);
    FAIL() << "a write during a plan must fail";
  } catch (core::Error const& error) {
    EXPECT_NE(std::string(error.what()).find("plan tried to write: PUT"), std::string::npos);
  }
  for (auto const& request : plan_transport->requests()) {
    EXPECT_EQ(request.method, http::Method::Get) << request.url;
  }
}

TEST_F(PlanTest, ClusterChangesAreListedFieldByFieldAndTheIssuerIsKnownAfterEnable) {
  state.set(keys::cluster, azure::ResourceRef{"s", "g", "c1"});
  ClusterFeaturesStep step{plan_services};
  plan_transport->respond_json(200, cluster_without_features().dump());
  auto const observation = step.observe(state, progress);
  ASSERT_EQ(observation.changes.size(), 2U);
  EXPECT_EQ(observation.changes[0].field, "oidcIssuerProfile.enabled");
  EXPECT_EQ(observation.changes[0].before, "false");
  EXPECT_EQ(observation.changes[0].after, "true");
  EXPECT_EQ(observation.changes[1].field, "securityProfile.workloadIdentity.enabled");
  EXPECT_TRUE(observation.confirmation); // the API server restart warning

  step.publish_planned(state);
  OidcIssuerStep issuer;
  auto const issuer_observation = issuer.observe(state, progress);
  EXPECT_EQ(issuer_observation.drift, workflow::Drift::InSync);
  EXPECT_EQ(state.get(keys::issuer_url), workflow::k_known_after_enable);
}

TEST_F(PlanTest, ANewIdentityIsPlannedWithIdsKnownAfterEnable) {
  state.set(keys::identity, azure::ResourceRef{"s", "g", "id1"});
  state.set(keys::identity_location, std::string("eastus"));
  ManagedIdentityStep step{plan_services, false};
  plan_transport->respond_json(404, R"({"error":{"code":"ResourceNotFound","message":"no"}})");
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Create);
  step.publish_planned(state);
  auto const planned = state.get(keys::managed_identity);
  EXPECT_EQ(planned.name, "id1");
  EXPECT_FALSE(workflow::is_known(planned.client_id));
  EXPECT_FALSE(workflow::is_known(planned.principal_id));
}

} // namespace
} // namespace wisetup::steps
