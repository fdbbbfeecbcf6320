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
#include <utility>
#include <vector>

namespace wisetup::sim::testing {

inline constexpr char const* k_tenant = "aaaaaaaa-0000-4000-8000-000000000001";
inline constexpr char const* k_subscription = "00000000-0000-0000-0000-000000000001";
inline constexpr char const* k_demo_client = "bbbbbbbb-0000-4000-8000-000000000001";
inline constexpr char const* k_demo_secret = "sim-demo-secret-value";
inline constexpr char const* k_demo_object = "bbbbbbbb-0000-4000-8000-0000000000a1";
inline constexpr char const* k_reader_client = "bbbbbbbb-0000-4000-8000-000000000002";
inline constexpr char const* k_reader_secret = "sim-reader-secret-value";
inline constexpr char const* k_arm_scope = "https://management.core.windows.net//.default";
inline constexpr char const* k_aks_scope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";
inline constexpr char const* k_exchange_audience = "api://AzureADTokenExchange";
inline constexpr char const* k_cert_client = "bbbbbbbb-0000-4000-8000-000000000004";
inline constexpr char const* k_cert_object = "bbbbbbbb-0000-4000-8000-0000000000a4";
inline constexpr char const* k_federated_client = "bbbbbbbb-0000-4000-8000-000000000005";
inline constexpr char const* k_federated_object = "bbbbbbbb-0000-4000-8000-0000000000a5";
inline constexpr char const* k_ci_subject = "system:serviceaccount:ci:deployer";
inline constexpr char const* k_github_subject = "repo:contoso/app:ref:refs/heads/main";
inline constexpr char const* k_azure_cli_client = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
inline constexpr char const* k_operator_object = "cccccccc-0000-4000-8000-000000000010";
inline constexpr char const* k_system_identity_client = "eeeeeeee-0000-4000-8000-000000000010";
inline constexpr char const* k_system_identity_object = "eeeeeeee-0000-4000-8000-0000000000b0";
inline constexpr char const* k_runner_client = "ffffffff-0000-4000-8000-000000000001";
inline constexpr char const* k_runner_object = "ffffffff-0000-4000-8000-0000000000a1";
/// The id of myAKSCluster as the default seed writes it (the key of its Kubernetes objects).
inline constexpr char const* k_cluster_id =
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/myResourceGroup/providers/"
    "Microsoft.ContainerService/managedClusters/myAKSCluster";

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
  /// A form-encoded POST (token and device code endpoints).
  Answer post_form(std::string const& path,
                   std::vector<std::pair<std::string, std::string>> const& fields);
  /// A request to ARM with `bearer` as the access token.
  Answer
  arm_as(std::string const& bearer, std::string const& method, std::string const& path_and_query);
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

/// The claims of a JWT (its middle part), for assertions.
nlohmann::json jwt_claims(std::string const& token);
/// The header of a JWT (its first part).
nlohmann::json jwt_header(std::string const& token);

/// A file of the repository, e.g. "sim/seed/cert-principal.pem".
std::filesystem::path source_file(std::string const& relative);

} // namespace wisetup::sim::testing
