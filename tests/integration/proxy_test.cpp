// HTTPS_PROXY, HTTP_PROXY and NO_PROXY: Entra, ARM, the API server and the vault through a CONNECT
// proxy; the managed identity endpoint never; the proxy's password never printed.
#include "integration/support/connect_proxy.hpp"
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace wisetup::integration {
namespace {

constexpr char const* k_password = "PROXY-CANARY-secret";

bool any_of(std::vector<std::string> const& lines, std::string const& wanted) {
  return std::any_of(lines.begin(), lines.end(), [&](auto const& line) { return line == wanted; });
}

TEST(ProxyTest, EveryServiceIsReachedThroughTheProxyAndItsPasswordIsNeverShown) {
  ConnectProxy proxy;
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  auto const url =
      "http://ci-runner:" + std::string(k_password) + "@127.0.0.1:" + std::to_string(proxy.port());
  environment["HTTPS_PROXY"] = url;
  environment["HTTP_PROXY"] = url;
  auto const result = run_enable(simulator, {"--yes", "-vv"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(find_resource(simulator.state(), "/federatedIdentityCredentials/myFedIdentity"));

  auto const requests = proxy.requests();
  auto const main_port = std::to_string(simulator.ready().at("port").get<int>());
  auto const kube_port = std::to_string(simulator.ready().at("kube_port").get<int>());
  EXPECT_TRUE(any_of(requests, "CONNECT 127.0.0.1:" + main_port)); // Entra, ARM
  EXPECT_TRUE(any_of(requests, "CONNECT 127.0.0.1:" + kube_port)); // the API server
  for (auto const& line : requests) {
    EXPECT_EQ(line.rfind("CONNECT ", 0), 0U) << "https only, through a tunnel: " << line;
  }
  for (auto const& authorization : proxy.authorizations()) {
    EXPECT_EQ(authorization.rfind("Basic ", 0), 0U) << authorization;
  }
  EXPECT_EQ((result.out + result.err).find(k_password), std::string::npos);
}

TEST(ProxyTest, NoProxyListsWhatIsReachedDirectly) {
  ConnectProxy proxy;
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment["https_proxy"] = "http://127.0.0.1:" + std::to_string(proxy.port());
  environment["no_proxy"] = "example.com, .internal,127.0.0.0/8";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(proxy.requests().empty());
}

TEST(ProxyTest, TheManagedIdentityEndpointIsNeverReachedThroughTheProxy) {
  ConnectProxy proxy;
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment.erase("AZURE_CLIENT_ID");
  environment.erase("AZURE_CLIENT_SECRET");
  environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = simulator.ready().at("imds_url");
  environment["HTTP_PROXY"] = "http://127.0.0.1:" + std::to_string(proxy.port());
  environment["HTTPS_PROXY"] = environment["HTTP_PROXY"];
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const requests = proxy.requests();
  EXPECT_FALSE(requests.empty()); // ARM still went through it
  for (auto const& line : requests) {
    EXPECT_EQ(line.find("GET "), std::string::npos) << line;
  }
}

TEST(ProxyTest, AKubeconfigsProxyUrlCarriesTheApiServerTraffic) {
  ConnectProxy proxy;
  SimulatorOptions options;
  options.extra_arguments = {"--kubeconfig-proxy-url",
                             "http://127.0.0.1:" + std::to_string(proxy.port())};
  Simulator simulator{options};
  auto const result = run_enable(simulator, {"--yes"}, tutorial_environment(simulator));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const requests = proxy.requests();
  auto const main_port = std::to_string(simulator.ready().at("port").get<int>());
  auto const kube_port = std::to_string(simulator.ready().at("kube_port").get<int>());
  EXPECT_TRUE(any_of(requests, "CONNECT 127.0.0.1:" + kube_port));
  EXPECT_FALSE(any_of(requests, "CONNECT 127.0.0.1:" + main_port)); // ARM: no HTTPS_PROXY
}

TEST(ProxyTest, AnUnusableProxyUrlStopsBeforeAnyRequestWithoutEchoingIt) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment["HTTPS_PROXY"] = "socks5://user:" + std::string(k_password) + "@127.0.0.1:1080";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("HTTPS_PROXY"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(k_password), std::string::npos) << result.err;
  EXPECT_TRUE(simulator.requests().empty());
}

} // namespace
} // namespace wisetup::integration
