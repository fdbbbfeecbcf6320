#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/kube/kube_connection.hpp>

#include <gtest/gtest.h>

namespace wisetup::kube {
namespace {

/// An Entra credential stand-in that records the scopes asked for.
class RecordingCredential final : public http::TokenCredential {
public:
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override {
    scopes.push_back(scope);
    return {"entra-token", std::chrono::system_clock::time_point::max()};
  }
  [[nodiscard]] std::string describe() const override { return "recording"; }
  mutable std::vector<std::string> scopes;
};

Kubeconfig certificate_config() {
  Kubeconfig config;
  config.server = "https://api.test:443";
  config.certificate_authority_pem = "CA-PEM";
  config.client_certificate_pem = "CERT-PEM";
  config.client_key_pem = "KEY-PEM";
  return config;
}

Kubeconfig token_config() {
  Kubeconfig config;
  config.server = "https://api.test:443";
  config.certificate_authority_pem = "CA-PEM";
  config.token = "static-SECRET";
  return config;
}

Kubeconfig exec_config() {
  Kubeconfig config;
  config.server = "https://api.test:443";
  config.exec_command = "kubelogin";
  return config;
}

TEST(KubeConnectionTest, TlsTrustsOnlyTheKubeconfigCaAndPresentsTheClientCertificate) {
  auto const tls = kube_tls_options(certificate_config());
  EXPECT_EQ(tls.extra_ca_pem, "CA-PEM");
  EXPECT_TRUE(tls.only_extra_ca);
  EXPECT_EQ(tls.client_certificate_pem, "CERT-PEM");
  EXPECT_EQ(tls.client_key_pem, "KEY-PEM");
  // Without a CA in the kubeconfig the system store stays in use.
  EXPECT_FALSE(kube_tls_options(exec_config()).only_extra_ca);
}

TEST(KubeConnectionTest, ClientCertificateNeedsNoBearer) {
  auto config = certificate_config();
  config.token = "ignored";
  EXPECT_EQ(kube_authentication(config, nullptr).credential, nullptr);
}

TEST(KubeConnectionTest, StaticTokenBecomesTheBearer) {
  auto const authentication = kube_authentication(token_config(), nullptr);
  ASSERT_NE(authentication.credential, nullptr);
  EXPECT_EQ(authentication.credential->get_token("any").token, "static-SECRET");
  EXPECT_EQ(authentication.credential->describe().find("SECRET"), std::string::npos);
}

TEST(KubeConnectionTest, ExecUserNeedsAnEntraCredential) {
  try {
    (void)kube_authentication(exec_config(), nullptr);
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    std::string const message = error.what();
    EXPECT_NE(message.find("kubelogin"), std::string::npos) << message;
    EXPECT_NE(message.find("not"), std::string::npos) << message;
  }
  auto provider = exec_config();
  provider.exec_command.clear();
  provider.auth_provider = "azure";
  EXPECT_THROW((void)kube_authentication(provider, nullptr), core::InvalidInput);

  auto const entra = std::make_shared<RecordingCredential>();
  auto const authentication = kube_authentication(exec_config(), entra);
  EXPECT_EQ(authentication.credential, entra);
  EXPECT_EQ(authentication.scope, "6dae42f8-4368-4678-94ff-3960e28e3630/.default");
}

TEST(KubeConnectionTest, OnlyKubeloginAndTheAzureAuthProviderSelectEntraSignIn) {
  auto const entra = std::make_shared<RecordingCredential>();
  auto other = exec_config();
  other.exec_command = "/tmp/x";
  try {
    (void)kube_authentication(other, entra);
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    std::string const message = error.what();
    EXPECT_NE(message.find("exec command \"/tmp/x\""), std::string::npos) << message;
    EXPECT_NE(message.find("never runs"), std::string::npos) << message;
  }
  // Refused even beside a usable token or certificate: such a kubeconfig is not one of AKS's.
  other.token = "static-SECRET";
  EXPECT_THROW((void)kube_authentication(other, entra), core::InvalidInput);

  auto provider = exec_config();
  provider.exec_command.clear();
  provider.auth_provider = "oidc";
  try {
    (void)kube_authentication(provider, entra);
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    EXPECT_NE(std::string(error.what()).find("auth-provider \"oidc\""), std::string::npos);
  }
  EXPECT_TRUE(entra->scopes.empty());
}

TEST(KubeConnectionTest, UserWithoutCredentialIsRefused) {
  Kubeconfig config;
  config.server = "https://api.test";
  EXPECT_THROW((void)kube_authentication(config, nullptr), core::InvalidInput);
}

TEST(KubeConnectionTest, ClientSendsTheTokenThroughATransportMadeForTheKubeconfig) {
  auto const transport = std::make_shared<testing::FakeTransport>();
  transport->respond_json(200, R"({"metadata": {"name": "ns"}})");
  std::vector<http::TlsOptions> made;
  auto const client = make_kube_client(
      token_config(),
      [&](http::TlsOptions tls) {
        made.push_back(std::move(tls));
        return transport;
      },
      http::PipelineOptions{},
      std::make_shared<testing::ManualClock>());

  ASSERT_TRUE(client->get_namespace("ns").has_value());
  ASSERT_EQ(made.size(), 1U);
  EXPECT_EQ(made[0].extra_ca_pem, "CA-PEM");
  EXPECT_TRUE(made[0].only_extra_ca);
  auto const sent = transport->requests();
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_EQ(sent[0].url, "https://api.test:443/api/v1/namespaces/ns");
  EXPECT_EQ(sent[0].headers.get("Authorization"), "Bearer static-SECRET");
}

TEST(KubeConnectionTest, EntraCredentialIsAskedForTheAksScope) {
  auto const transport = std::make_shared<testing::FakeTransport>();
  transport->respond(404);
  auto const entra = std::make_shared<RecordingCredential>();
  auto const client = make_kube_client(
      exec_config(),
      [&](http::TlsOptions const&) { return transport; },
      http::PipelineOptions{},
      std::make_shared<testing::ManualClock>(),
      entra);

  EXPECT_FALSE(client->get_namespace("ns").has_value());
  EXPECT_EQ(entra->scopes,
            (std::vector<std::string>{"6dae42f8-4368-4678-94ff-3960e28e3630/.default"}));
  EXPECT_EQ(transport->requests().at(0).headers.get("Authorization"), "Bearer entra-token");
}

TEST(KubeConnectionTest, CertificateClientSendsNoAuthorization) {
  auto const transport = std::make_shared<testing::FakeTransport>();
  transport->respond(404);
  auto const client = make_kube_client(
      certificate_config(),
      [&](http::TlsOptions const&) { return transport; },
      http::PipelineOptions{},
      std::make_shared<testing::ManualClock>());
  (void)client->get_namespace("ns");
  EXPECT_FALSE(transport->requests().at(0).headers.contains("Authorization"));
}

} // namespace
} // namespace wisetup::kube
