#pragma once

#include "sim/options.hpp"
#include "sim/simulator.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace wisetup::sim::testing {

inline constexpr char const* k_tenant = "aaaaaaaa-0000-4000-8000-000000000001";
inline constexpr char const* k_subscription = "00000000-0000-0000-0000-000000000001";
inline constexpr char const* k_demo_client = "bbbbbbbb-0000-4000-8000-000000000001";
inline constexpr char const* k_demo_secret = "sim-demo-secret-value";
inline constexpr char const* k_demo_object = "bbbbbbbb-0000-4000-8000-0000000000a1";
inline constexpr char const* k_reader_client = "bbbbbbbb-0000-4000-8000-000000000002";
inline constexpr char const* k_reader_secret = "sim-reader-secret-value";
inline constexpr char const* k_arm_scope = "https://management.core.windows.net//.default";

/// "/subscriptions/{sub}/resourceGroups/{group}/providers/{provider_path}".
std::string resource_path(std::string const& group, std::string const& provider_path);
/// The seeded cluster myAKSCluster in myResourceGroup.
std::string cluster_path();
std::string identity_path(std::string const& name, std::string const& group = "myResourceGroup");
std::string vault_path(std::string const& name);

/// One HTTP answer with its body parsed as JSON when it is JSON.
struct Answer {
  int status = 0;
  std::string text;
  nlohmann::json json;
  httplib::Headers headers;
  [[nodiscard]] std::string header(std::string const& name) const;
};

/// Starts a simulator on a free port with a fresh state directory for each test, and talks to it
/// over verified HTTPS (the generated CA, host-name check on).
class SimFixture : public ::testing::Test {
protected:
  void SetUp() override;
  void TearDown() override;
  /// Lets a test suite change the options before the simulator starts.
  virtual void configure(Options& /*options*/) {}

  /// A request to the Entra/ARM listener; `content_type` empty = no body.
  Answer send(std::string const& method,
              std::string const& path,
              std::string const& body = {},
              std::string const& content_type = {},
              httplib::Headers const& headers = {});
  /// A token response for client credentials.
  Answer request_token(std::string const& client_id,
                       std::string const& secret,
                       std::string const& scope = k_arm_scope,
                       std::string const& tenant = k_tenant);
  /// An ARM access token of the demo principal (cached per test).
  std::string token();
  /// An ARM request with the demo principal's bearer token; `body` null = no body.
  Answer arm(std::string const& method,
             std::string const& path_and_query,
             nlohmann::json const& body = nullptr,
             httplib::Headers headers = {});
  /// GET /_sim/state.
  nlohmann::json state();
  /// The cluster's kubeconfig YAML from listClusterUserCredential.
  std::string user_kubeconfig();
  /// A field of the kubeconfig's first user (client-certificate-data ...), decoded when base64.
  static std::string
  kubeconfig_field(std::string const& yaml, std::string const& field, bool decode);
  /// Writes `content` to a file in the state directory and returns its path.
  std::string write_temp(std::string const& name, std::string const& content);
  /// Polls GET `path` (ARM) until `done` holds or `seconds` pass.
  Answer poll_arm(std::string const& path_and_query,
                  std::function<bool(Answer const&)> const& done,
                  double seconds = 5.0);

  Options m_options;
  std::unique_ptr<Simulator> m_simulator;
  std::unique_ptr<httplib::SSLClient> m_client;
  std::optional<std::string> m_token;
};

/// Standard base64 decoding for test assertions.
std::string base64_decode(std::string const& text);

} // namespace wisetup::sim::testing
