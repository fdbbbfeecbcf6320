#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"
#include "test_pki.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/credential_factory.hpp>
#include <wisetup/identity/credential_unavailable.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace wisetup::identity {
namespace credential_factory_test {

using testing::FakeTransport;
using testing::ManualClock;
using testing::TempDir;

constexpr char const* k_tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
constexpr char const* k_client = "11111111-2222-3333-4444-555555555555";
constexpr char const* k_scope = "https://management.azure.com/.default";
constexpr char const* k_secret = "CANARY-secret";
/// Loopback only: no test may ever address the real IMDS.
constexpr char const* k_imds = "http://127.0.0.1:50342";

/// Scripted `az`: records every argv and answers with `output`.
class FakeProcessRunner final : public ProcessRunner {
public:
  explicit FakeProcessRunner(ProcessOutput output) : m_output(std::move(output)) {}
  [[nodiscard]] ProcessOutput run(std::vector<std::string> const& argv,
                                  std::chrono::milliseconds /*timeout*/) const override {
    std::lock_guard const lock{m_mutex};
    m_calls.push_back(argv);
    return m_output;
  }
  [[nodiscard]] std::vector<std::vector<std::string>> calls() const {
    std::lock_guard const lock{m_mutex};
    return m_calls;
  }

private:
  ProcessOutput m_output;
  mutable std::mutex m_mutex;
  mutable std::vector<std::vector<std::string>> m_calls;
};

std::shared_ptr<FakeProcessRunner> signed_in_az() {
  return std::make_shared<FakeProcessRunner>(ProcessOutput{
      0,
      R"({"accessToken":"cli-token","expiresOn":"2027-01-15 10:00:00.000000","expires_on":1800003600,"tokenType":"Bearer"})",
      "",
      false,
      false});
}

std::shared_ptr<FakeProcessRunner> missing_az() {
  return std::make_shared<FakeProcessRunner>(ProcessOutput{-1, "", "", true, false});
}

bool contains(std::vector<std::string> const& values, std::string const& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

class CredentialFactoryTest : public ::testing::Test {
protected:
  using Variables = std::map<std::string, std::string>;

  [[nodiscard]] CredentialOptions options(AuthKind kind, Variables variables) {
    m_environment = std::make_unique<core::MapEnvironment>(std::move(variables));
    CredentialOptions options;
    options.kind = kind;
    options.environment = m_environment.get();
    options.cloud = core::builtin_cloud("AzureCloud");
    options.transport = m_transport;
    options.clock = m_clock;
    return options;
  }
  /// The default chain with every kind offered: the managed identity probe goes to m_probe.
  [[nodiscard]] CredentialOptions full_chain(Variables variables,
                                             std::shared_ptr<ProcessRunner const> az) {
    auto opts = options(AuthKind::Default, std::move(variables));
    opts.probe_transport = m_probe;
    opts.process_runner = std::move(az);
    return opts;
  }
  /// The legacy entry point.
  std::shared_ptr<http::TokenCredential const> make(Variables variables) {
    m_environment = std::make_unique<core::MapEnvironment>(std::move(variables));
    return make_credential(*m_environment, core::builtin_cloud("AzureCloud"), m_transport, m_clock);
  }
  template <class Error, class Call> std::string error_of(Call const& call) {
    try {
      call();
    } catch (Error const& error) {
      std::string message = error.what();
      EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
      return message;
    }
    ADD_FAILURE() << "expected an exception";
    return {};
  }
  void respond_token(std::string const& token = "entra-token") {
    m_transport->respond_json(200, R"({"expires_in":3600,"access_token":")" + token + R"("})");
  }

  TempDir m_dir;
  std::unique_ptr<core::MapEnvironment> m_environment;
  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeTransport> m_probe = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST(AuthKindTest, ParsesEveryAuthValueAndNamesTheChoicesOtherwise) {
  for (auto const kind : {AuthKind::Default,
                          AuthKind::Environment,
                          AuthKind::WorkloadIdentity,
                          AuthKind::ManagedIdentity,
                          AuthKind::AzureCli,
                          AuthKind::DeviceCode}) {
    EXPECT_EQ(parse_auth_kind(to_string(kind)), kind);
  }
  EXPECT_EQ(parse_auth_kind("workload-identity"), AuthKind::WorkloadIdentity);
  try {
    (void)parse_auth_kind("browser");
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    EXPECT_STREQ(error.what(),
                 "--auth \"browser\" is not a way to sign in; use one of default, environment, "
                 "workload-identity, managed-identity, azure-cli, device-code");
  }
}

TEST_F(CredentialFactoryTest, SecretFromTheEnvironmentUsesTheCloudsAuthorityAndCaches) {
  auto const credential = make({{"AZURE_TENANT_ID", k_tenant},
                                {"AZURE_CLIENT_ID", k_client},
                                {"AZURE_CLIENT_SECRET", k_secret}});
  EXPECT_EQ(credential->describe(),
            std::string("client secret (AZURE_CLIENT_ID=") + k_client + ")");
  respond_token("a");
  EXPECT_EQ(credential->get_token("arm/.default").token, "a");
  EXPECT_EQ(credential->get_token("arm/.default").token, "a");
  ASSERT_EQ(m_transport->requests().size(), 1U);
  EXPECT_EQ(m_transport->requests()[0].url,
            std::string("https://login.microsoftonline.com/") + k_tenant + "/oauth2/v2.0/token");
}

TEST_F(CredentialFactoryTest, NothingConfiguredListsEachKindAndWhyWithoutARequest) {
  auto const message = error_of<core::AuthenticationError>([&] {
    (void)make({{"AZURE_TENANT_ID", k_tenant}, {"AZURE_CLIENT_ID", k_client}});
  });
  EXPECT_EQ(message,
            "no Azure credential found:\n"
            "  - environment: neither AZURE_CLIENT_SECRET nor AZURE_CLIENT_CERTIFICATE_PATH is "
            "set; set one, with AZURE_TENANT_ID and AZURE_CLIENT_ID\n"
            "  - workload identity: AZURE_FEDERATED_TOKEN_FILE is not set (the workload identity "
            "webhook sets it in a pod), and no GitHub Actions OIDC token is offered (a job with "
            "`permissions: id-token: write`)");
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(CredentialFactoryTest, PartialConfigurationNamesTheMissingVariables) {
  auto const secret = error_of<core::AuthenticationError>([&] {
    (void)make({{"AZURE_CLIENT_SECRET", k_secret}});
  });
  EXPECT_NE(secret.find("  - environment: AZURE_CLIENT_SECRET is set, but AZURE_TENANT_ID and "
                        "AZURE_CLIENT_ID are not; set them too"),
            std::string::npos)
      << secret;
  auto const certificate = error_of<core::AuthenticationError>([&] {
    (void)make({{"AZURE_CLIENT_CERTIFICATE_PATH", "/tmp/x.pem"}, {"AZURE_CLIENT_ID", k_client}});
  });
  EXPECT_NE(certificate.find("AZURE_CLIENT_CERTIFICATE_PATH is set, but AZURE_TENANT_ID is not; "
                             "set it too"),
            std::string::npos)
      << certificate;
  auto const token_file = error_of<core::AuthenticationError>([&] {
    (void)make({{"AZURE_FEDERATED_TOKEN_FILE", "/var/run/token"}});
  });
  EXPECT_NE(token_file.find("  - workload identity: AZURE_FEDERATED_TOKEN_FILE is set, but "
                            "AZURE_TENANT_ID and AZURE_CLIENT_ID are not"),
            std::string::npos)
      << token_file;
}

TEST_F(CredentialFactoryTest, ValidatesIdsBeforeUse) {
  auto const tenant = error_of<core::InvalidInput>([&] {
    (void)make({{"AZURE_TENANT_ID", "../evil?x="},
                {"AZURE_CLIENT_ID", k_client},
                {"AZURE_CLIENT_SECRET", k_secret}});
  });
  EXPECT_EQ(tenant.rfind("AZURE_TENANT_ID ", 0), 0U) << tenant;
  auto const client = error_of<core::InvalidInput>([&] {
    (void)make({{"AZURE_TENANT_ID", "contoso.onmicrosoft.com"},
                {"AZURE_CLIENT_ID", "a b"},
                {"AZURE_FEDERATED_TOKEN_FILE", "/var/run/token"}});
  });
  EXPECT_EQ(client.rfind("AZURE_CLIENT_ID ", 0), 0U) << client;
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(CredentialFactoryTest, AuthorityHostOverridesTheCloudForEveryEntraKind) {
  auto const path = m_dir.write("token", "federated.jwt");
  for (auto const& variable : {std::pair{"AZURE_CLIENT_SECRET", std::string(k_secret)},
                               std::pair{"AZURE_FEDERATED_TOKEN_FILE", path}}) {
    auto const credential = make({{"AZURE_TENANT_ID", k_tenant},
                                  {"AZURE_CLIENT_ID", k_client},
                                  {variable.first, variable.second},
                                  {"AZURE_AUTHORITY_HOST", "https://127.0.0.1:8443/adfs/"}});
    respond_token();
    (void)credential->get_token(k_scope);
    EXPECT_EQ(m_transport->requests().back().url,
              std::string("https://127.0.0.1:8443/adfs/") + k_tenant + "/oauth2/v2.0/token");
  }
  auto const message = error_of<core::InvalidInput>([&] {
    (void)make({{"AZURE_TENANT_ID", k_tenant},
                {"AZURE_CLIENT_ID", k_client},
                {"AZURE_CLIENT_SECRET", k_secret},
                {"AZURE_AUTHORITY_HOST", "http://login.test"}});
  });
  EXPECT_NE(message.find("AZURE_AUTHORITY_HOST"), std::string::npos) << message;
}

TEST_F(CredentialFactoryTest, EnvironmentPrefersTheSecretThenTheCertificate) {
  auto const& pki = testing::rsa_certificate();
  auto const pem = m_dir.write("client.pem", pki.certificate_pem() + pki.key_pem("CANARY-pw"));
  Variables variables{{"AZURE_TENANT_ID", k_tenant},
                      {"AZURE_CLIENT_ID", k_client},
                      {"AZURE_CLIENT_SECRET", k_secret},
                      {"AZURE_CLIENT_CERTIFICATE_PATH", pem},
                      {"AZURE_CLIENT_CERTIFICATE_PASSWORD", "CANARY-pw"}};
  EXPECT_EQ(make(variables)->describe().rfind("client secret", 0), 0U);

  variables.erase("AZURE_CLIENT_SECRET");
  auto const certificate = make(variables);
  EXPECT_EQ(certificate->describe(),
            std::string("client certificate (AZURE_CLIENT_ID=") + k_client +
                ", AZURE_CLIENT_CERTIFICATE_PATH=" + pem + ")");
  respond_token();
  (void)certificate->get_token(k_scope);
  auto const assertion =
      http::query_parameter(m_transport->requests().at(0).body, "client_assertion");
  ASSERT_TRUE(assertion);
  EXPECT_TRUE(testing::verify_rs256(testing::decode_jwt(*assertion), pki.certificate.get()));

  variables["AZURE_CLIENT_CERTIFICATE_PASSWORD"] = "CANARY-wrong";
  auto const wrong = error_of<core::InvalidInput>([&] { (void)make(variables); });
  EXPECT_NE(wrong.find("AZURE_CLIENT_CERTIFICATE_PASSWORD does not decrypt"), std::string::npos);
}

TEST_F(CredentialFactoryTest, ConfiguredEnvironmentComesBeforeWorkloadIdentityAndEndsTheChain) {
  auto const az = signed_in_az();
  auto const credential =
      make_credential(full_chain({{"AZURE_TENANT_ID", k_tenant},
                                  {"AZURE_CLIENT_ID", k_client},
                                  {"AZURE_CLIENT_SECRET", k_secret},
                                  {"AZURE_FEDERATED_TOKEN_FILE", "/x"},
                                  {"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}},
                                 az));
  EXPECT_EQ(credential->describe().rfind("client secret", 0), 0U) << credential->describe();
  // Rejected: the chain stops there, without probing managed identity or running az.
  m_transport->respond_json(401, R"({"error":"invalid_client","error_codes":[7000215]})");
  auto const message =
      error_of<core::AuthenticationError>([&] { (void)credential->get_token(k_scope); });
  EXPECT_NE(message.find("AADSTS7000215"), std::string::npos) << message;
  EXPECT_TRUE(m_probe->requests().empty());
  EXPECT_TRUE(az->calls().empty());
}

TEST_F(CredentialFactoryTest, WorkloadIdentityFromTheTokenFileOrGithub) {
  auto const path = m_dir.write("token", "federated.jwt\n");
  auto const from_file = make({{"AZURE_TENANT_ID", k_tenant},
                               {"AZURE_CLIENT_ID", k_client},
                               {"AZURE_FEDERATED_TOKEN_FILE", path},
                               {"ACTIONS_ID_TOKEN_REQUEST_URL", "https://github.test/t?x=1"},
                               {"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "CANARY-job"}});
  EXPECT_EQ(from_file->describe(),
            std::string("workload identity (AZURE_CLIENT_ID=") + k_client +
                ", AZURE_FEDERATED_TOKEN_FILE=" + path + ")");
  respond_token();
  (void)from_file->get_token(k_scope);
  EXPECT_EQ(http::query_parameter(m_transport->requests().at(0).body, "client_assertion"),
            "federated.jwt");

  auto const github = make({{"AZURE_TENANT_ID", k_tenant},
                            {"AZURE_CLIENT_ID", k_client},
                            {"ACTIONS_ID_TOKEN_REQUEST_URL", "https://github.test/t?x=1"},
                            {"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "CANARY-job"}});
  m_transport->respond_json(200, R"({"value":"github.jwt"})");
  respond_token();
  (void)github->get_token(k_scope);
  auto const requests = m_transport->requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[1].url, "https://github.test/t?x=1&audience=api%3A%2F%2FAzureADTokenExchange");
  EXPECT_EQ(requests[1].headers.get("Authorization"), "Bearer CANARY-job");
  EXPECT_EQ(http::query_parameter(requests[2].body, "client_assertion"), "github.jwt");
}

TEST_F(CredentialFactoryTest, ChainFallsToSystemAssignedManagedIdentity) {
  auto const az = signed_in_az();
  // AZURE_CLIENT_ID alone configures nothing, and does not select a managed identity here.
  auto const credential = make_credential(full_chain(
      {{"AZURE_CLIENT_ID", k_client}, {"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}}, az));
  EXPECT_EQ(credential->describe(),
            "the credential chain (environment, workload identity, managed identity, Azure CLI)");
  m_probe->respond_json(
      200,
      R"({"access_token":"mi-token","expires_in":"3599","expires_on":"1800003599","resource":"https://management.azure.com/","token_type":"Bearer"})");
  EXPECT_EQ(credential->get_token(k_scope).token, "mi-token");
  auto const probe = m_probe->requests().at(0);
  auto const url = http::parse_url(probe.url);
  EXPECT_EQ(url.origin(), k_imds);
  EXPECT_EQ(probe.headers.get("Metadata"), "true");
  EXPECT_FALSE(http::query_parameter(url.query, "client_id")) << probe.url;
  EXPECT_TRUE(az->calls().empty());
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(CredentialFactoryTest, ChainFallsToTheAzureCliWhenNoManagedIdentityAnswers) {
  auto const az = signed_in_az();
  auto const credential = make_credential(full_chain(
      {{"AZURE_TENANT_ID", k_tenant}, {"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}}, az));
  m_probe->answer([](http::Request const&) -> http::Response {
    throw http::TransportError("cannot reach http://127.0.0.1:50342: connection refused");
  });
  EXPECT_EQ(credential->get_token(k_scope).token, "cli-token");
  EXPECT_EQ(credential->describe().find("managed identity"), std::string::npos);
  auto const calls = az->calls();
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls[0].at(0), "az");
  EXPECT_TRUE(contains(calls[0], "get-access-token"));
  EXPECT_TRUE(contains(calls[0], k_scope));
  EXPECT_TRUE(contains(calls[0], k_tenant)); // --tenant AZURE_TENANT_ID
  // Chosen once: later scopes go straight to az, without probing again.
  (void)credential->get_token("https://graph.microsoft.com/.default");
  EXPECT_EQ(az->calls().size(), 2U);
  EXPECT_EQ(m_probe->requests().size(), 1U);
}

TEST_F(CredentialFactoryTest, AllKindsUnavailableListsEachKind) {
  auto const credential =
      make_credential(full_chain({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}}, missing_az()));
  m_probe->answer([](http::Request const&) -> http::Response {
    throw http::TransportError("cannot reach http://127.0.0.1:50342: connection refused");
  });
  auto const message =
      error_of<core::AuthenticationError>([&] { (void)credential->get_token(k_scope); });
  EXPECT_EQ(message.rfind("no Azure credential found:\n  - environment: neither", 0), 0U)
      << message;
  for (auto const* line : {"\n  - workload identity: AZURE_FEDERATED_TOKEN_FILE is not set",
                           "\n  - managed identity: ",
                           "\n  - Azure CLI: "}) {
    EXPECT_NE(message.find(line), std::string::npos) << line << " in " << message;
  }
  EXPECT_LT(message.find("managed identity"), message.find("Azure CLI"));
}

TEST_F(CredentialFactoryTest, AskedForKindsThatAreNotConfiguredSaySo) {
  auto const environment = error_of<CredentialUnavailable>([&] {
    (void)make_credential(options(AuthKind::Environment, {{"AZURE_TENANT_ID", k_tenant}}));
  });
  EXPECT_EQ(
      environment.rfind("--auth environment is not configured: neither AZURE_CLIENT_SECRET", 0), 0U)
      << environment;
  auto const workload = error_of<CredentialUnavailable>([&] {
    (void)make_credential(
        options(AuthKind::WorkloadIdentity,
                {{"AZURE_TENANT_ID", k_tenant}, {"AZURE_CLIENT_SECRET", k_secret}}));
  });
  EXPECT_EQ(
      workload.rfind("--auth workload-identity is not configured: AZURE_FEDERATED_TOKEN_FILE", 0),
      0U)
      << workload;
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(CredentialFactoryTest, AuthPicksOneKindAndSkipsTheOthers) {
  // A configured secret is ignored when another kind is asked for.
  Variables const variables{{"AZURE_TENANT_ID", k_tenant},
                            {"AZURE_CLIENT_ID", k_client},
                            {"AZURE_CLIENT_SECRET", k_secret},
                            {"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}};
  auto opts = options(AuthKind::AzureCli, variables);
  auto const az = signed_in_az();
  opts.process_runner = az;
  EXPECT_EQ(make_credential(opts)->get_token(k_scope).token, "cli-token");
  EXPECT_EQ(az->calls().size(), 1U);
  EXPECT_TRUE(m_transport->requests().empty());

  auto workload = options(AuthKind::WorkloadIdentity,
                          {{"AZURE_TENANT_ID", k_tenant},
                           {"AZURE_CLIENT_ID", k_client},
                           {"AZURE_CLIENT_SECRET", k_secret},
                           {"AZURE_FEDERATED_TOKEN_FILE", m_dir.write("token", "fed.jwt")}});
  EXPECT_EQ(make_credential(workload)->describe().rfind("workload identity", 0), 0U);
}

TEST_F(CredentialFactoryTest, AskedManagedIdentitySelectsAzureClientIdWithoutTheShortProbe) {
  auto opts =
      options(AuthKind::ManagedIdentity,
              {{"AZURE_CLIENT_ID", k_client}, {"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}});
  opts.probe_transport = m_probe; // must stay unused: a slow first answer is no reason to fail
  m_transport->respond_json(
      200, R"({"access_token":"mi-token","expires_in":"3599","expires_on":"1800003599"})");
  EXPECT_EQ(make_credential(opts)->get_token(k_scope).token, "mi-token");
  auto const url = http::parse_url(m_transport->requests().at(0).url);
  EXPECT_EQ(url.origin(), k_imds);
  EXPECT_EQ(http::query_parameter(url.query, "client_id"), k_client);
  EXPECT_TRUE(m_probe->requests().empty());
}

TEST_F(CredentialFactoryTest, AzureCliTenantFallsBackToTheGivenTenant) {
  auto opts = options(AuthKind::AzureCli, {});
  auto const az = signed_in_az();
  opts.process_runner = az;
  opts.tenant_id = "contoso.onmicrosoft.com";
  (void)make_credential(opts)->get_token(k_scope);
  EXPECT_TRUE(contains(az->calls().at(0), "contoso.onmicrosoft.com"));
}

TEST_F(CredentialFactoryTest, DeviceCodeUsesTheAzureCliClientAndOrganizationsByDefault) {
  auto opts = options(AuthKind::DeviceCode, {});
  std::vector<std::string> shown;
  opts.device_code_prompt = [&shown](std::string_view message) {
    shown.emplace_back(message);
  };
  m_transport->respond_json(200, R"({"device_code":"CANARY-device","user_code":"ABCD-EFGH",
      "verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":5,
      "message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate."})");
  respond_token("device-token");
  EXPECT_EQ(make_credential(opts)->get_token(k_scope).token, "device-token");
  ASSERT_EQ(shown.size(), 1U);
  EXPECT_NE(shown[0].find("ABCD-EFGH"), std::string::npos);
  auto const requests = m_transport->requests();
  ASSERT_GE(requests.size(), 2U);
  EXPECT_EQ(requests[0].url,
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode");
  EXPECT_EQ(http::query_parameter(requests[0].body, "client_id"),
            "04b07795-8ddb-461a-bbee-02f9e1bf7b46");

  auto own = options(AuthKind::DeviceCode,
                     {{"AZURE_TENANT_ID", k_tenant},
                      {"AZURE_CLIENT_ID", k_client},
                      {"AZURE_AUTHORITY_HOST", "https://login.test"}});
  own.device_code_prompt = [](std::string_view) {
  };
  m_transport->respond_json(200, R"({"device_code":"d","user_code":"u",
      "verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":5})");
  respond_token("device-token");
  (void)make_credential(own)->get_token(k_scope);
  auto const second = m_transport->requests().at(2);
  EXPECT_EQ(second.url, std::string("https://login.test/") + k_tenant + "/oauth2/v2.0/devicecode");
  EXPECT_EQ(http::query_parameter(second.body, "client_id"), k_client);
}

TEST_F(CredentialFactoryTest, DeviceCodeIsNeverPartOfTheChain) {
  auto opts = full_chain({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}}, missing_az());
  opts.device_code_prompt = [](std::string_view) {
    FAIL() << "device code was tried";
  };
  m_probe->answer([](http::Request const&) -> http::Response {
    throw http::TransportError("connection refused");
  });
  EXPECT_THROW((void)make_credential(opts)->get_token(k_scope), core::AuthenticationError);
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(CredentialFactoryTest, AProxyAnsweringForTheMetadataEndpointLetsTheChainGoOnToTheCli) {
  for (int status : {403, 404, 407, 200}) {
    auto const az = signed_in_az();
    m_probe = std::make_shared<FakeTransport>();
    auto const credential =
        make_credential(full_chain({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}}, az));
    m_probe->respond(status, "<html><body>Access denied by the corporate proxy</body></html>");
    EXPECT_EQ(credential->get_token(k_scope).token, "cli-token") << status;
    EXPECT_EQ(m_probe->requests().size(), 1U) << "no retry of a proxy's answer";
    EXPECT_EQ(az->calls().size(), 1U);
  }
}

TEST_F(CredentialFactoryTest, AManagedIdentityEndpointsOwnErrorStillStopsTheChain) {
  auto const az = signed_in_az();
  auto const credential =
      make_credential(full_chain({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}}, az));
  m_probe->respond_json(400,
                        R"({"error":"invalid_request","error_description":"Identity not found"})");
  (void)error_of<core::AuthenticationError>([&] { (void)credential->get_token(k_scope); });
  EXPECT_TRUE(az->calls().empty());
}

TEST_F(CredentialFactoryTest, AskedForByNameAProxysAnswerStaysAnError) {
  auto opts = options(AuthKind::ManagedIdentity, {{"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}});
  auto const credential = make_credential(opts);
  m_transport->respond(403, "<html>denied</html>");
  (void)error_of<core::AuthenticationError>([&] { (void)credential->get_token(k_scope); });
}

TEST_F(CredentialFactoryTest, AzureTokenCredentialsNarrowsTheChain) {
  auto const describe = [&](std::string const& value) {
    return make_credential(full_chain({{"AZURE_TOKEN_CREDENTIALS", value},
                                       {"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}},
                                      signed_in_az()))
        ->describe();
  };
  EXPECT_EQ(describe("dev"), "Azure CLI (az)");
  EXPECT_EQ(describe("prod"),
            "the credential chain (environment, workload identity, managed identity)");
  EXPECT_EQ(describe("AzureCliCredential"), "Azure CLI (az)");
  EXPECT_NE(describe("ManagedIdentityCredential").find("managed identity (IMDS"),
            std::string::npos);
  // A named credential that is not configured is an error, not a fall-through.
  (void)error_of<CredentialUnavailable>([&] { (void)describe("EnvironmentCredential"); });
  auto const message = error_of<core::InvalidInput>([&] { (void)describe("staging"); });
  EXPECT_NE(message.find("AZURE_TOKEN_CREDENTIALS is \"staging\""), std::string::npos) << message;
  EXPECT_NE(message.find("dev"), std::string::npos) << message;
}

TEST_F(CredentialFactoryTest, ProdNeverRunsTheAzureCli) {
  auto const az = signed_in_az();
  auto const credential = make_credential(full_chain(
      {{"AZURE_TOKEN_CREDENTIALS", "prod"}, {"AZURE_POD_IDENTITY_AUTHORITY_HOST", k_imds}}, az));
  m_probe->answer([](http::Request const&) -> http::Response {
    throw http::TransportError("cannot reach http://127.0.0.1:50342: connection refused");
  });
  (void)error_of<core::AuthenticationError>([&] { (void)credential->get_token(k_scope); });
  EXPECT_TRUE(az->calls().empty());
}

} // namespace credential_factory_test
} // namespace wisetup::identity
