#include "support/fake_transport.hpp"

#include <wisetup/azure/key_vault_data_client.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace wisetup::azure {
namespace {

class KeyVaultDataTest : public ::testing::Test {
protected:
  static constexpr char const* k_vault = "https://kv1.vault.azure.net/";

  std::shared_ptr<testing::FakeTransport> transport = std::make_shared<testing::FakeTransport>();
  KeyVaultDataClient data{
      std::make_shared<http::Pipeline>(std::vector<std::unique_ptr<http::Policy>>{}, transport)};

  static std::string
  vault_error(std::string const& code, std::string const& message, std::string const& inner = {}) {
    nlohmann::json error{{"code", code}, {"message", message}};
    if (!inner.empty()) {
      error["innererror"] = {{"code", inner}};
    }
    return nlohmann::json{{"error", error}}.dump();
  }

  [[nodiscard]] http::Request request(std::size_t index) const {
    auto const sent = transport->requests();
    if (index >= sent.size()) {
      ADD_FAILURE() << "only " << sent.size() << " requests were sent";
      return {};
    }
    return sent[index];
  }
};

TEST_F(KeyVaultDataTest, MissingSecretMeansGetIsGranted) {
  transport->respond_json(
      404, vault_error("SecretNotFound", "A secret with (name/id) wi-probe was not found"));
  auto const probe = data.probe_secret_get(k_vault, "wi-probe");
  EXPECT_EQ(probe.access, SecretAccess::Granted);
  EXPECT_EQ(probe.code, "SecretNotFound");
  EXPECT_EQ(request(0).method, http::Method::Get);
  EXPECT_EQ(request(0).url, "https://kv1.vault.azure.net/secrets/wi-probe?api-version=7.4");
  EXPECT_TRUE(request(0).body.empty());
}

TEST_F(KeyVaultDataTest, VaultUriWithoutSlashAndEncodedName) {
  transport->respond_json(200, R"({"value": "s3cr3t-value", "id": "x"})");
  auto const probe = data.probe_secret_get("https://kv1.vault.azure.net", "a/b c");
  EXPECT_EQ(probe.access, SecretAccess::Granted);
  // The value of an existing secret is never kept.
  EXPECT_TRUE(probe.code.empty());
  EXPECT_TRUE(probe.message.empty());
  EXPECT_EQ(request(0).url, "https://kv1.vault.azure.net/secrets/a%2Fb%20c?api-version=7.4");
}

TEST_F(KeyVaultDataTest, ForbiddenByPolicyIsDenied) {
  transport->respond_json(403,
                          vault_error("Forbidden",
                                      "The user, group or application does not have secrets get "
                                      "permission on key vault 'kv1'.",
                                      "ForbiddenByPolicy"));
  auto const probe = data.probe_secret_get(k_vault, "wi-probe");
  EXPECT_EQ(probe.access, SecretAccess::Denied);
  EXPECT_EQ(probe.code, "ForbiddenByPolicy");
  EXPECT_NE(probe.message.find("secrets get permission"), std::string::npos);
}

TEST_F(KeyVaultDataTest, ForbiddenByRbacAndBareForbiddenAreDenied) {
  transport->respond_json(403,
                          vault_error("Forbidden", "Caller is not authorized.", "ForbiddenByRbac"));
  transport->respond(403, "<html>forbidden</html>");
  auto const rbac = data.probe_secret_get(k_vault, "wi-probe");
  EXPECT_EQ(rbac.access, SecretAccess::Denied);
  EXPECT_EQ(rbac.code, "ForbiddenByRbac");
  EXPECT_EQ(rbac.message, "Caller is not authorized.");
  auto const bare = data.probe_secret_get(k_vault, "wi-probe");
  EXPECT_EQ(bare.access, SecretAccess::Denied);
  EXPECT_TRUE(bare.code.empty());
}

TEST_F(KeyVaultDataTest, FirewallIsReportedAsSuch) {
  transport->respond_json(
      403, vault_error("Forbidden", "Client address is not authorized.", "ForbiddenByFirewall"));
  auto const probe = data.probe_secret_get(k_vault, "wi-probe");
  EXPECT_EQ(probe.access, SecretAccess::Firewall);
  EXPECT_EQ(probe.code, "ForbiddenByFirewall");
}

TEST_F(KeyVaultDataTest, OtherAnswersThrowServiceError) {
  http::Headers headers;
  headers.set("x-ms-request-id", "req-1");
  transport->respond_json(401, vault_error("Unauthorized", "AKV10022: Invalid audience."), headers);
  transport->respond_json(500, vault_error("InternalError", "boom"));
  transport->respond_json(404, vault_error("VaultNotFound", "x"));
  try {
    (void)data.probe_secret_get(k_vault, "wi-probe");
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 401);
    EXPECT_EQ(error.fault().code, "Unauthorized");
    EXPECT_EQ(error.fault().request_id, "req-1");
    EXPECT_EQ(error.fault().url, "https://kv1.vault.azure.net/secrets/wi-probe");
    EXPECT_EQ(error.exit_code(), core::ExitCode::Authentication);
    std::string const what = error.what();
    EXPECT_NE(what.find("Key Vault refused GET https://kv1.vault.azure.net/secrets/wi-probe (401"),
              std::string::npos)
        << what;
    EXPECT_EQ(what.find("api-version"), std::string::npos) << what;
  }
  try {
    (void)data.probe_secret_get(k_vault, "wi-probe");
    FAIL() << "expected ServiceError";
  } catch (http::ServiceError const& error) {
    EXPECT_EQ(error.fault().status, 500);
    EXPECT_EQ(error.exit_code(), core::ExitCode::ServiceError);
  }
  EXPECT_THROW((void)data.probe_secret_get(k_vault, "wi-probe"), http::ServiceError);
}

TEST_F(KeyVaultDataTest, BadInputsAreRefusedBeforeSending) {
  EXPECT_THROW((void)data.probe_secret_get("http://kv1.vault.azure.net/", "x"), core::InvalidInput);
  EXPECT_THROW((void)data.probe_secret_get("", "x"), core::InvalidInput);
  EXPECT_THROW((void)data.probe_secret_get(k_vault, ""), core::InvalidInput);
  EXPECT_TRUE(transport->requests().empty());
}

TEST_F(KeyVaultDataTest, TransportFailuresPropagate) {
  transport->answer([](http::Request const&) -> http::Response {
    throw http::TransportError("cannot reach kv1.vault.azure.net");
  });
  EXPECT_THROW((void)data.probe_secret_get(k_vault, "wi-probe"), http::TransportError);
}

} // namespace
} // namespace wisetup::azure
