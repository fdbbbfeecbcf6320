#include "unit/steps/step_fixture.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/steps/cluster_features_step.hpp>

namespace wisetup::steps {
namespace {

nlohmann::json cluster(bool oidc, bool workload_identity, std::string const& state = "Succeeded") {
  nlohmann::json resource = {
      {"id",
       "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/c1"},
      {"name", "c1"},
      {"location", "westeurope"},
      {"eTag", "etag-1"},
      {"tags", {{"team", "a"}}},
      {"properties",
       {{"provisioningState", state},
        {"powerState", {{"code", "Running"}}},
        {"oidcIssuerProfile", {{"enabled", oidc}}},
        {"securityProfile", {{"workloadIdentity", {{"enabled", workload_identity}}}}}}}};
  if (oidc) {
    resource["properties"]["oidcIssuerProfile"]["issuerURL"] = "https://issuer.test/t/g/";
  }
  return resource;
}

class ClusterFeaturesStepTest : public StepFixture {
protected:
  void SetUp() override { state.set(keys::cluster, azure::ResourceRef{"s", "g", "c1"}); }
  ClusterFeaturesStep step{services};
};

TEST_F(ClusterFeaturesStepTest, EnabledClusterIsInSyncAndPublishesItsLocationAndIssuer) {
  arm_transport->respond_json(200, cluster(true, true).dump());
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::InSync);
  EXPECT_FALSE(observation.confirmation);
  EXPECT_EQ(state.get(keys::cluster_location), "westeurope");
  EXPECT_EQ(state.get(keys::enabled_cluster).issuer_url, "https://issuer.test/t/g/");
}

TEST_F(ClusterFeaturesStepTest, EnablingTheIssuerAsksFirst) {
  arm_transport->respond_json(200, cluster(false, false).dump());
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Update);
  ASSERT_TRUE(observation.confirmation);
  EXPECT_NE(observation.confirmation->find("restarts its API server"), std::string::npos);
  EXPECT_FALSE(state.has(keys::enabled_cluster));
}

TEST_F(ClusterFeaturesStepTest, OnlyWorkloadIdentityOffNeedsNoConfirmation) {
  arm_transport->respond_json(200, cluster(true, false).dump());
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Update);
  EXPECT_FALSE(observation.confirmation);
}

TEST_F(ClusterFeaturesStepTest, UpdateIsAReadModifyWriteThatKeepsOtherProperties) {
  arm_transport->respond_json(200, cluster(false, false).dump());
  (void)step.observe(state, progress);
  http::Headers async;
  async.set("Azure-AsyncOperation", "https://arm.test/operations/op1?api-version=2024-09-01");
  arm_transport->respond_json(200, cluster(false, false, "Updating").dump(), async);
  arm_transport->respond_json(200, R"({"status": "Succeeded"})");
  arm_transport->respond_json(200, cluster(true, true).dump());
  auto const detail = step.apply(state, progress);
  EXPECT_EQ(detail, "enabled the OIDC issuer and workload identity");
  auto const put = writes(*arm_transport).at(0);
  EXPECT_EQ(put.headers.get("If-Match"), "etag-1");
  auto const body = nlohmann::json::parse(put.body);
  EXPECT_EQ(body["tags"]["team"], "a");
  EXPECT_EQ(body["properties"]["oidcIssuerProfile"]["enabled"], true);
  EXPECT_EQ(body["properties"]["securityProfile"]["workloadIdentity"]["enabled"], true);
  EXPECT_EQ(state.get(keys::enabled_cluster).issuer_url, "https://issuer.test/t/g/");
}

TEST_F(ClusterFeaturesStepTest, StoppedClusterIsExplained) {
  auto stopped = cluster(false, false);
  stopped["properties"]["powerState"]["code"] = "Stopped";
  arm_transport->respond_json(200, stopped.dump());
  try {
    (void)step.observe(state, progress);
    FAIL() << "expected an error";
  } catch (core::Error const& error) {
    EXPECT_NE(std::string(error.what()).find("az aks start"), std::string::npos);
  }
}

TEST_F(ClusterFeaturesStepTest, ReRunDuringARunningUpdateWaitsForItBeforeCountingAsDone) {
  arm_transport->respond_json(200, cluster(true, true, "Updating").dump());
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Update);
  EXPECT_FALSE(state.has(keys::enabled_cluster)); // nothing depending on it may start yet
  arm_transport->respond_json(200, cluster(true, true, "Updating").dump());
  arm_transport->respond_json(200, cluster(true, true, "Updating").dump());
  arm_transport->respond_json(200, cluster(true, true, "Succeeded").dump());
  (void)step.apply(state, progress);
  EXPECT_TRUE(writes(*arm_transport).empty());
  EXPECT_TRUE(state.has(keys::enabled_cluster));
  EXPECT_GT(clock->now().time_since_epoch().count(), 0);
}

TEST_F(ClusterFeaturesStepTest, ReRunDuringAnUpdateThatFailsReportsTheFailure) {
  arm_transport->respond_json(200, cluster(true, true, "Updating").dump());
  (void)step.observe(state, progress);
  arm_transport->respond_json(200, cluster(true, true, "Updating").dump());
  arm_transport->respond_json(200, cluster(true, true, "Failed").dump());
  try {
    (void)step.apply(state, progress);
    FAIL() << "a failed update must not count as done";
  } catch (core::Error const& error) {
    EXPECT_NE(std::string(error.what()).find("ended Failed"), std::string::npos);
    EXPECT_EQ(error.exit_code(), core::ExitCode::ServiceError);
  }
  EXPECT_FALSE(state.has(keys::enabled_cluster));
  EXPECT_TRUE(writes(*arm_transport).empty());
}

TEST_F(ClusterFeaturesStepTest, FeaturesOnAfterACanceledOperationAreAppliedAgain) {
  arm_transport->respond_json(200, cluster(true, true, "Canceled").dump());
  auto const observation = step.observe(state, progress);
  EXPECT_EQ(observation.drift, workflow::Drift::Update);
  EXPECT_FALSE(observation.confirmation); // the issuer is already on: no restart
  EXPECT_FALSE(state.has(keys::enabled_cluster));
}

} // namespace
} // namespace wisetup::steps
