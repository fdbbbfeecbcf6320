#include <wisetup/core/error.hpp>
#include <wisetup/http/proxy_settings.hpp>

#include <gtest/gtest.h>

namespace wisetup::http {
namespace {

ProxySettings settings(std::map<std::string, std::string> variables) {
  return ProxySettings::from_environment(core::MapEnvironment{std::move(variables)});
}

std::string proxy_of(ProxySettings const& proxies, std::string const& url) {
  auto const proxy = proxies.proxy_for(parse_url(url));
  return proxy ? proxy->display() : "direct";
}

TEST(ProxySettingsTest, HttpsAndHttpUrlsUseTheirOwnVariableAndLowerCaseWins) {
  auto const proxies = settings({{"HTTPS_PROXY", "http://upper:3128"},
                                 {"https_proxy", "lower:8080"},
                                 {"HTTP_PROXY", "http://plain"}});
  EXPECT_EQ(proxy_of(proxies, "https://management.azure.com/x"), "http://lower:8080");
  EXPECT_EQ(proxy_of(proxies, "http://example.com/"), "http://plain:1080");
  EXPECT_EQ(proxy_of(settings({}), "https://management.azure.com/"), "direct");
}

TEST(ProxySettingsTest, NoProxyTakesNamesSuffixesAddressesRangesAndStar) {
  auto const proxies = settings({{"HTTPS_PROXY", "http://proxy:3128"},
                                 {"NO_PROXY", " vault.azure.net,.internal , 10.0.0.0/8,::1"}});
  EXPECT_EQ(proxy_of(proxies, "https://vault.azure.net/"), "direct");
  EXPECT_EQ(proxy_of(proxies, "https://kv1.vault.azure.net/"), "direct");
  EXPECT_EQ(proxy_of(proxies, "https://notvault.azure.net/"), "http://proxy:3128");
  EXPECT_EQ(proxy_of(proxies, "https://api.cluster.internal:443/"), "direct");
  EXPECT_EQ(proxy_of(proxies, "https://10.1.2.3/"), "direct");
  EXPECT_EQ(proxy_of(proxies, "https://11.1.2.3/"), "http://proxy:3128");
  EXPECT_EQ(proxy_of(proxies, "https://[::1]:8443/"), "direct");
  EXPECT_EQ(proxy_of(settings({{"HTTPS_PROXY", "http://proxy"}, {"no_proxy", "*"}}),
                     "https://management.azure.com/"),
            "direct");
}

TEST(ProxySettingsTest, CredentialsAreKeptApartAndNeverDisplayed) {
  auto const proxy = parse_proxy("http://ci%40corp:p%3Ass@proxy.corp:8080/", "HTTPS_PROXY");
  EXPECT_EQ(proxy.user, "ci@corp");
  EXPECT_EQ(proxy.password, "p:ss");
  EXPECT_EQ(proxy.display(), "http://proxy.corp:8080");
}

TEST(ProxySettingsTest, UnusableUrlsNameTheVariableButNotTheValue) {
  for (auto const* text :
       {"https://user:SECRET@proxy:443", "socks5://proxy:1080", "http://proxy:99999", "http://"}) {
    try {
      (void)parse_proxy(text, "HTTPS_PROXY");
      ADD_FAILURE() << text << " was accepted";
    } catch (core::InvalidInput const& error) {
      std::string const message = error.what();
      EXPECT_NE(message.find("HTTPS_PROXY"), std::string::npos) << message;
      EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;
    }
  }
}

} // namespace
} // namespace wisetup::http
