#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/identity/credential_factory.hpp>

#include <gtest/gtest.h>

namespace wisetup::identity {
namespace {

using testing::FakeTransport;
using testing::ManualClock;

constexpr char const* k_tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
constexpr char const* k_client = "11111111-2222-3333-4444-555555555555";

class CredentialFactoryTest : public ::testing::Test {
protected:
  std::shared_ptr<TokenCredential const> make(std::map<std::string, std::string> variables) {
    return make_credential(core::MapEnvironment{std::move(variables)},
                           core::builtin_cloud("AzureCloud"),
                           m_transport,
                           m_clock);
  }
  template <class Error> std::string error_of(std::map<std::string, std::string> variables) {
    try {
      (void)make(std::move(variables));
    } catch (Error const& error) {
      return error.what();
    }
    ADD_FAILURE() << "expected an exception";
    return {};
  }

  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(CredentialFactoryTest, NamesExactlyTheMissingVariables) {
  EXPECT_EQ(error_of<core::AuthenticationError>(
                {{"AZURE_TENANT_ID", k_tenant}, {"AZURE_CLIENT_ID", k_client}}),
            "no Azure credential: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET "
            "(missing: AZURE_CLIENT_SECRET)");
  EXPECT_EQ(error_of<core::AuthenticationError>({{"AZURE_CLIENT_ID", k_client}}),
            "no Azure credential: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET "
            "(missing: AZURE_TENANT_ID, AZURE_CLIENT_SECRET)");
  // An empty variable counts as missing.
  EXPECT_NE(error_of<core::AuthenticationError>({{"AZURE_TENANT_ID", ""}})
                .find("(missing: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)"),
            std::string::npos);
}

TEST_F(CredentialFactoryTest, ValidatesIdsBeforeUse) {
  auto const tenant = error_of<core::InvalidInput>({{"AZURE_TENANT_ID", "../evil?x="},
                                                    {"AZURE_CLIENT_ID", k_client},
                                                    {"AZURE_CLIENT_SECRET", "CANARY"}});
  EXPECT_EQ(tenant.rfind("AZURE_TENANT_ID ", 0), 0U) << tenant;
  auto const client = error_of<core::InvalidInput>({{"AZURE_TENANT_ID", "contoso.onmicrosoft.com"},
                                                    {"AZURE_CLIENT_ID", "a b"},
                                                    {"AZURE_CLIENT_SECRET", "CANARY"}});
  EXPECT_EQ(client.rfind("AZURE_CLIENT_ID ", 0), 0U) << client;
  EXPECT_EQ(client.find("CANARY"), std::string::npos);
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(CredentialFactoryTest, UsesTheCloudsAuthorityAndCaches) {
  auto const credential = make(
      {{"AZURE_TENANT_ID", k_tenant}, {"AZURE_CLIENT_ID", k_client}, {"AZURE_CLIENT_SECRET", "s"}});
  EXPECT_EQ(credential->describe(),
            std::string("client secret (AZURE_CLIENT_ID=") + k_client + ")");
  m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"a"})");
  EXPECT_EQ(credential->get_token("arm/.default").token, "a");
  EXPECT_EQ(credential->get_token("arm/.default").token, "a");
  ASSERT_EQ(m_transport->requests().size(), 1U);
  EXPECT_EQ(m_transport->requests()[0].url,
            std::string("https://login.microsoftonline.com/") + k_tenant + "/oauth2/v2.0/token");
}

TEST_F(CredentialFactoryTest, AuthorityHostOverridesTheCloudWithATrailingSlash) {
  auto const credential = make({{"AZURE_TENANT_ID", k_tenant},
                                {"AZURE_CLIENT_ID", k_client},
                                {"AZURE_CLIENT_SECRET", "s"},
                                {"AZURE_AUTHORITY_HOST", "https://127.0.0.1:8443/adfs/"}});
  m_transport->respond_json(200, R"({"expires_in":3600,"access_token":"a"})");
  (void)credential->get_token("arm/.default");
  EXPECT_EQ(m_transport->requests().at(0).url,
            std::string("https://127.0.0.1:8443/adfs/") + k_tenant + "/oauth2/v2.0/token");
}

TEST_F(CredentialFactoryTest, AuthorityHostMustBeHttps) {
  auto const message =
      error_of<core::InvalidInput>({{"AZURE_TENANT_ID", k_tenant},
                                    {"AZURE_CLIENT_ID", k_client},
                                    {"AZURE_CLIENT_SECRET", "s"},
                                    {"AZURE_AUTHORITY_HOST", "http://login.test"}});
  EXPECT_NE(message.find("AZURE_AUTHORITY_HOST"), std::string::npos) << message;
}

} // namespace
} // namespace wisetup::identity
