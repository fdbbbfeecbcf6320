// Each way of signing in, end to end against the simulator.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <thread>

namespace wisetup::integration {
namespace {

/// A stand-in for the Azure CLI: a shell script that answers `account show` and
/// `account get-access-token` as az 2.54+ does, with a token the simulator issued.
std::string fake_az(Simulator const& simulator, std::string const& token) {
  auto const dir = make_temp_dir("wisetup-az");
  auto const subscription =
      simulator.seed().at("subscriptions").at(0).at("subscriptionId").get<std::string>();
  auto const tenant = simulator.seed().at("tenantId").get<std::string>();
  auto const expires = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() +
                       3600;
  write_file(dir + "/az",
             "#!/bin/sh\n"
             "echo \"$@\" >> \"$(dirname \"$0\")/calls\"\n"
             "case \"$2\" in\n"
             "  show) echo '{\"id\": \"" +
                 subscription + "\", \"tenantId\": \"" + tenant +
                 "\", \"isDefault\": true}' ;;\n"
                 "  get-access-token) echo '{\"accessToken\": \"" +
                 token + "\", \"expires_on\": " + std::to_string(expires) +
                 ", \"tokenType\": \"Bearer\"}' ;;\n"
                 "  *) echo \"unexpected: $*\" >&2; exit 2 ;;\n"
                 "esac\n");
  std::filesystem::permissions(dir + "/az", std::filesystem::perms::owner_all);
  return dir;
}

TEST(SignInTest, AzureCliSuppliesTheTokenTheTenantAndTheSubscription) {
  Simulator simulator;
  auto const az_dir =
      fake_az(simulator, simulator.token_for(0, "https://management.core.windows.net/.default"));
  auto environment = tutorial_environment(simulator);
  for (auto const* name :
       {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_SUBSCRIPTION_ID"}) {
    environment.erase(name);
  }
  environment["PATH"] = az_dir + ":/bin:/usr/bin";
  auto const result = run_enable(simulator, {"--yes", "--auth", "azure-cli"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(find_resource(simulator.state(),
                            "/userAssignedIdentities/myIdentity/federatedIdentityCredentials/"
                            "myFedIdentity"));
  auto const calls = read_file(az_dir + "/calls");
  EXPECT_NE(calls.find("account show --output json"), std::string::npos) << calls;
  EXPECT_NE(calls.find("account get-access-token --output json --scope "
                       "https://management.core.windows.net/.default --tenant "),
            std::string::npos)
      << calls;
  std::filesystem::remove_all(az_dir);
}

TEST(SignInTest, AProxyAnsweringForTheMetadataEndpointLeavesTheWayToASignedInAzureCli) {
  // A corporate proxy intercepts http://169.254.169.254 and answers 403 with its own page.
  httplib::Server proxy;
  proxy.Get(".*", [](httplib::Request const&, httplib::Response& response) {
    response.status = 403;
    response.set_content("<html><body>Blocked by policy</body></html>", "text/html");
  });
  int const port = proxy.bind_to_any_port("127.0.0.1");
  std::thread serving{[&proxy] {
    proxy.listen_after_bind();
  }};

  Simulator simulator;
  auto const az_dir =
      fake_az(simulator, simulator.token_for(0, "https://management.core.windows.net/.default"));
  auto environment = tutorial_environment(simulator);
  for (auto const* name :
       {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_SUBSCRIPTION_ID"}) {
    environment.erase(name);
  }
  environment["PATH"] = az_dir + ":/bin:/usr/bin";
  environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = "http://127.0.0.1:" + std::to_string(port);
  auto const result = run_enable(simulator, {"--yes"}, environment); // the default chain
  proxy.stop();
  serving.join();
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(find_resource(simulator.state(),
                            "/userAssignedIdentities/myIdentity/federatedIdentityCredentials/"
                            "myFedIdentity"));
  EXPECT_NE(read_file(az_dir + "/calls").find("get-access-token"), std::string::npos);

  // AZURE_TOKEN_CREDENTIALS=prod leaves the Azure CLI out: now nothing can sign in.
  environment["AZURE_TOKEN_CREDENTIALS"] = "prod";
  auto const production = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(production.exit_code, 3) << production.err;
  environment["AZURE_TOKEN_CREDENTIALS"] = "qa";
  auto const unknown = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_NE(unknown.err.find("AZURE_TOKEN_CREDENTIALS is \"qa\""), std::string::npos)
      << unknown.err;
  std::filesystem::remove_all(az_dir);
}

TEST(SignInTest, WhenNothingIsConfiguredEveryKindSaysWhy) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment.erase("AZURE_CLIENT_SECRET");
  environment.erase("AZURE_CLIENT_ID");
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  for (auto const* kind : {"environment", "workload identity", "managed identity", "Azure CLI"}) {
    EXPECT_NE(result.err.find(kind), std::string::npos) << kind << " in: " << result.err;
  }
  EXPECT_TRUE(writes(simulator.requests()).empty());
}

TEST(SignInTest, ARejectedConfiguredCredentialStopsTheChain) {
  Simulator simulator;
  auto const az_dir =
      fake_az(simulator, simulator.token_for(0, "https://management.core.windows.net/.default"));
  auto environment = tutorial_environment(simulator);
  environment["AZURE_CLIENT_SECRET"] = "not-the-secret";
  environment["PATH"] = az_dir + ":/bin:/usr/bin"; // a signed-in az must not be fallen back on
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_FALSE(std::filesystem::exists(az_dir + "/calls"));
  EXPECT_TRUE(writes(simulator.requests()).empty());
  std::filesystem::remove_all(az_dir);
}

} // namespace
} // namespace wisetup::integration

namespace wisetup::integration {
namespace {

constexpr char const* k_cert_client = "bbbbbbbb-0000-4000-8000-000000000004";
constexpr char const* k_federated_client = "bbbbbbbb-0000-4000-8000-000000000005";

/// The tutorial's inputs with no credential at all: each test adds the kind it signs in with.
std::map<std::string, std::string> without_credentials(Simulator const& simulator) {
  auto environment = tutorial_environment(simulator);
  environment.erase("AZURE_CLIENT_ID");
  environment.erase("AZURE_CLIENT_SECRET");
  return environment;
}

void expect_enabled(Simulator const& simulator, ProcessResult const& result) {
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(find_resource(simulator.state(),
                            "/userAssignedIdentities/myIdentity/federatedIdentityCredentials/"
                            "myFedIdentity"));
}

TEST(SignInKindsTest, ClientCertificate) {
  Simulator simulator;
  auto environment = without_credentials(simulator);
  environment["AZURE_CLIENT_ID"] = k_cert_client;
  environment["AZURE_CLIENT_CERTIFICATE_PATH"] =
      std::string(WISETUP_SOURCE_DIR) + "/sim/seed/cert-principal.pem";
  expect_enabled(simulator, run_enable(simulator, {"--yes", "-vv"}, environment));
}

TEST(SignInKindsTest, ClientCertificateFromAPfxSendingItsChain) {
  Simulator simulator;
  auto const dir = make_temp_dir("wisetup-pfx");
  auto const exported =
      run_process("/usr/bin/openssl",
                  {"pkcs12",
                   "-export",
                   "-in",
                   std::string(WISETUP_SOURCE_DIR) + "/sim/seed/cert-principal.pem",
                   "-out",
                   dir + "/principal.pfx",
                   "-passout",
                   "pass:pfx-CANARY-password"},
                  {});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  auto environment = without_credentials(simulator);
  environment["AZURE_CLIENT_ID"] = k_cert_client;
  environment["AZURE_CLIENT_CERTIFICATE_PATH"] = dir + "/principal.pfx";
  environment["AZURE_CLIENT_CERTIFICATE_PASSWORD"] = "pfx-CANARY-password";
  environment["AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"] = "true";
  auto const result = run_enable(simulator, {"--yes", "-vv"}, environment);
  expect_enabled(simulator, result);
  EXPECT_EQ((result.out + result.err).find("CANARY"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(SignInKindsTest, FederatedTokenFileFromAClustersIssuer) {
  Simulator simulator;
  auto const dir = make_temp_dir("wisetup-token");
  write_file(
      dir + "/token",
      simulator.external_token("cluster:myOidcCluster", "system:serviceaccount:ci:deployer"));
  auto environment = without_credentials(simulator);
  environment["AZURE_CLIENT_ID"] = k_federated_client;
  environment["AZURE_FEDERATED_TOKEN_FILE"] = dir + "/token";
  expect_enabled(simulator, run_enable(simulator, {"--yes"}, environment));
  std::filesystem::remove_all(dir);
}

TEST(SignInKindsTest, ExpiredFederatedTokenStopsWithItsReason) {
  Simulator simulator;
  auto const dir = make_temp_dir("wisetup-token");
  write_file(
      dir + "/token",
      simulator.external_token("cluster:myOidcCluster", "system:serviceaccount:ci:deployer", -60));
  auto environment = without_credentials(simulator);
  environment["AZURE_CLIENT_ID"] = k_federated_client;
  environment["AZURE_FEDERATED_TOKEN_FILE"] = dir + "/token";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("AADSTS700024"), std::string::npos) << result.err;
  EXPECT_TRUE(writes(simulator.requests()).empty());
  std::filesystem::remove_all(dir);
}

TEST(SignInKindsTest, GitHubActionsJobTokenWithNoSecret) {
  Simulator simulator;
  auto environment = without_credentials(simulator);
  environment["AZURE_CLIENT_ID"] = k_federated_client;
  environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = simulator.ready().at("github_token_url");
  environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = simulator.ready().at("github_request_token");
  expect_enabled(simulator, run_enable(simulator, {"--yes"}, environment));
}

TEST(SignInKindsTest, SystemAssignedManagedIdentityThroughImds) {
  Simulator simulator;
  auto environment = without_credentials(simulator);
  environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = simulator.ready().at("imds_url");
  expect_enabled(simulator, run_enable(simulator, {"--yes"}, environment));
}

TEST(SignInKindsTest, UserAssignedManagedIdentityAskedByName) {
  Simulator simulator;
  auto environment = without_credentials(simulator);
  environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = simulator.ready().at("imds_url");
  environment["AZURE_CLIENT_ID"] = "ffffffff-0000-4000-8000-000000000001";
  expect_enabled(simulator,
                 run_enable(simulator, {"--yes", "--auth", "managed-identity"}, environment));
}

TEST(SignInKindsTest, AppServiceManagedIdentity) {
  Simulator simulator;
  auto environment = without_credentials(simulator);
  environment["IDENTITY_ENDPOINT"] = simulator.ready().at("identity_endpoint");
  environment["IDENTITY_HEADER"] = simulator.ready().at("identity_header");
  expect_enabled(simulator, run_enable(simulator, {"--yes"}, environment));
}

TEST(SignInKindsTest, DeviceCodeShowsTheCodeAndWaitsForTheSignIn) {
  SimulatorOptions options;
  options.extra_arguments = {"--device-code-auto-approve-polls", "1"};
  Simulator simulator{options};
  auto const result =
      run_enable(simulator, {"--yes", "--auth", "device-code"}, without_credentials(simulator));
  expect_enabled(simulator, result);
  EXPECT_NE(result.err.find("code"), std::string::npos) << result.err;
}

TEST(SignInKindsTest, EntraIntegratedClusterWithoutLocalAccounts) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment["AKSCLUSTER"] = "myEntraCluster";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const state = simulator.state();
  bool annotated = false;
  for (auto const& [id, cluster] : state.at("kubernetes").items()) {
    if (id.find("myEntraCluster") != std::string::npos) {
      annotated = cluster["serviceAccounts"].contains("default/workload-identity-sa");
    }
  }
  EXPECT_TRUE(annotated);
}

TEST(SignInKindsTest, NoCredentialValueIsPrintedForAnyKind) {
  Simulator simulator;
  std::string printed;
  auto environment = without_credentials(simulator);
  environment["AZURE_CLIENT_ID"] = k_federated_client;
  environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = simulator.ready().at("github_token_url");
  environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = simulator.ready().at("github_request_token");
  auto result = run_enable(simulator, {"--yes", "-vv"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  printed += result.out + result.err;
  auto app_service = without_credentials(simulator);
  app_service["IDENTITY_ENDPOINT"] = simulator.ready().at("identity_endpoint");
  app_service["IDENTITY_HEADER"] = simulator.ready().at("identity_header");
  result = run_enable(simulator, {"--yes", "-vv", "--output", "json"}, app_service);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  printed += result.out + result.err;

  EXPECT_NE(printed.find("GET https://127.0.0.1"), std::string::npos) << "-vv logs requests";
  for (auto const& secret : {simulator.ready().at("github_request_token").get<std::string>(),
                             simulator.ready().at("identity_header").get<std::string>()}) {
    EXPECT_EQ(printed.find(secret), std::string::npos) << "printed a secret";
  }
  EXPECT_EQ(printed.find("eyJ"), std::string::npos); // no JWT
  EXPECT_EQ(printed.find("Bearer "), std::string::npos);
}

} // namespace
} // namespace wisetup::integration
