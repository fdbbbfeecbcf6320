#include "sim_fixture.hpp"

#include <chrono>
#include <fstream>

namespace wisetup::sim::testing {
namespace {

using SimulatorTest = SimFixture;

nlohmann::json read_json(std::filesystem::path const& path) {
  std::ifstream file{path};
  return nlohmann::json::parse(file);
}

TEST_F(SimulatorTest, WritesReadyCaAndCloudFiles) {
  nlohmann::json const ready = read_json(m_options.state_dir / "ready.json");
  EXPECT_EQ(ready["port"], m_simulator->port());
  EXPECT_EQ(ready["kube_port"], m_simulator->kube_port());
  EXPECT_EQ(ready["base_url"], m_simulator->base_url());
  EXPECT_EQ(ready["ca_bundle"], m_simulator->ca_bundle_path().string());
  EXPECT_TRUE(ready["pid"].is_number_integer());
  EXPECT_FALSE(std::filesystem::exists(m_options.state_dir / "ready.json.tmp"));
  std::string const imds = "http://127.0.0.1:" + std::to_string(m_simulator->imds_port());
  EXPECT_EQ(ready["imds_port"], m_simulator->imds_port());
  EXPECT_EQ(ready["imds_url"], imds);
  EXPECT_EQ(ready["identity_endpoint"], imds + "/msi/token");
  EXPECT_EQ(ready["identity_header"], m_simulator->identity_header());
  EXPECT_EQ(ready["github_issuer"], m_simulator->base_url() + "/github/");
  EXPECT_EQ(ready["github_request_token"], m_simulator->github_request_token());
  EXPECT_EQ(ready["device_login_url"], m_simulator->base_url() + "/devicelogin");
  EXPECT_EQ(send("GET", "/_sim/health").json["imds_port"], m_simulator->imds_port());

  nlohmann::json const cloud = read_json(ready["cloud_file"].get<std::string>());
  EXPECT_EQ(cloud["name"], "WiSetupSim");
  EXPECT_EQ(cloud["endpoints"]["resourceManager"], m_simulator->base_url() + "/");
  EXPECT_EQ(cloud["endpoints"]["activeDirectory"], m_simulator->base_url());
  EXPECT_EQ(cloud["endpoints"]["activeDirectoryResourceId"],
            "https://management.core.windows.net/");
  // Graph is the simulator's own (az reads this key as the Graph base URL and token resource).
  EXPECT_EQ(cloud["endpoints"]["microsoftGraphResourceId"], m_simulator->base_url() + "/graph/");
  EXPECT_EQ(cloud["suffixes"]["keyvaultDns"], ".vault.azure.net");
}

TEST_F(SimulatorTest, ReplacingTheStateKeepsIssuedTokens) {
  std::string const bearer = token();
  nlohmann::json const before = state();
  nlohmann::json seed = before;
  seed["servicePrincipals"][0]["clientSecret"] = k_demo_secret;
  seed["resources"].erase(seed["resources"].begin());
  Answer const replaced = send("PUT", "/_sim/state", seed.dump(), "application/json");
  ASSERT_EQ(replaced.status, 200) << replaced.text;
  EXPECT_EQ(state()["resources"].size(), before["resources"].size() - 1);
  EXPECT_EQ(arm("GET", vault_path("keyvault-workload-id") + "?api-version=2023-07-01").status, 200);

  Answer const bad = send("PUT", "/_sim/state", R"({"tenantId":"x"})", "application/json");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json["error"].get<std::string>().find("tenantId"), std::string::npos);
}

TEST_F(SimulatorTest, ControlPathsAreNotLoggedAndUnknownOnesAre404) {
  EXPECT_EQ(send("GET", "/_sim/nothing").status, 404);
  EXPECT_EQ(send("GET", "/_sim/health").status, 200);
  EXPECT_TRUE(send("GET", "/_sim/requests").json.empty());
}

class SlowSimulatorTest : public SimFixture {
  void configure(Options& options) override { options.latency = std::chrono::milliseconds{60}; }
};

TEST_F(SlowSimulatorTest, LatencyIsAddedToEveryAnswer) {
  auto const start = std::chrono::steady_clock::now();
  EXPECT_EQ(request_token(k_demo_client, k_demo_secret).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{60});
}

TEST(SimulatorStartTest, BadSeedFailsStartNamingTheFile) {
  Options options;
  options.state_dir = std::filesystem::temp_directory_path() / "wi-setup-sim-bad-seed";
  options.seed = options.state_dir / "seed.json";
  std::filesystem::create_directories(options.state_dir);
  std::ofstream{*options.seed} << R"({"tenantId": "aaaaaaaa-0000-4000-8000-000000000001"})";
  Simulator simulator{options};
  try {
    simulator.start();
    ADD_FAILURE() << "start() accepted a seed without subscriptions";
  } catch (std::runtime_error const& error) {
    EXPECT_NE(std::string(error.what()).find("seed.json"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("subscriptions"), std::string::npos) << error.what();
  }
  EXPECT_FALSE(std::filesystem::exists(options.state_dir / "ready.json"));
  std::filesystem::remove_all(options.state_dir);
}

} // namespace
} // namespace wisetup::sim::testing
