#include <wisetup/core/error.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/url.hpp>

#include <gtest/gtest.h>

namespace wisetup::http {
namespace {

TEST(UrlTest, SplitsAnAbsoluteUrl) {
  auto const url = parse_url("HTTPS://user:pw@Example.com:8443/a/b?x=1&y=2#frag");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host, "Example.com");
  EXPECT_EQ(url.port, "8443");
  EXPECT_EQ(url.path, "/a/b");
  EXPECT_EQ(url.query, "x=1&y=2");
  EXPECT_EQ(url.origin(), "https://Example.com:8443");
  EXPECT_EQ(url.effective_port(), 8443);
}

TEST(UrlTest, DefaultPortsAndIpv6) {
  EXPECT_EQ(parse_url("https://h").effective_port(), 443);
  EXPECT_EQ(parse_url("http://h/").effective_port(), 80);
  auto const url = parse_url("https://[::1]:9000/p");
  EXPECT_EQ(url.host, "[::1]");
  EXPECT_EQ(url.port, "9000");
  EXPECT_EQ(url.origin(), "https://[::1]:9000");
}

TEST(UrlTest, RefusesWhatIsNotAnHttpUrl) {
  EXPECT_THROW((void)parse_url("management.azure.com/x"), core::InvalidInput);
  EXPECT_THROW((void)parse_url("ftp://host/x"), core::InvalidInput);
  EXPECT_THROW((void)parse_url("https:///x"), core::InvalidInput);
  EXPECT_THROW((void)parse_url("https://host:99999/"), core::InvalidInput);
  EXPECT_THROW((void)parse_url("https://host:12ab/"), core::InvalidInput);
}

TEST(UrlTest, ErrorsNeverQuoteTheQuery) {
  try {
    (void)parse_url("https://host:0/?sig=CANARY");
    FAIL() << "expected InvalidInput";
  } catch (core::InvalidInput const& error) {
    EXPECT_EQ(std::string(error.what()).find("CANARY"), std::string::npos) << error.what();
  }
}

TEST(UrlTest, PercentEncodesAllButUnreserved) {
  EXPECT_EQ(percent_encode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(percent_encode("a b&c=d/e+f%"), "a%20b%26c%3Dd%2Fe%2Bf%25");
  EXPECT_EQ(percent_encode("é"), "%C3%A9");
  EXPECT_EQ(percent_decode("a%20b%2Bc+d", true), "a b+c d");
  EXPECT_EQ(percent_decode("100%", false), "100%");
}

TEST(UrlTest, FindsAQueryParameter) {
  EXPECT_EQ(query_parameter("a=1&api-version=2023-01-31&b", "api-version"), "2023-01-31");
  EXPECT_EQ(query_parameter("a=1&b", "b"), "");
  EXPECT_EQ(query_parameter("a=1", "c"), std::nullopt);
}

TEST(RedactionTest, KeepsOnlyApiVersion) {
  EXPECT_EQ(redact_url("https://u:p@host:1/sub/x?sig=CANARY&api-version=2023-01-31&code=C#f"),
            "https://host:1/sub/x?sig=REDACTED&api-version=2023-01-31&code=REDACTED");
  EXPECT_EQ(redact_url("https://host/x"), "https://host/x");
  EXPECT_EQ(redact_url("not a url?sig=CANARY"), "<unparsable URL>");
}

TEST(RedactionTest, UrlWithoutQuery) {
  EXPECT_EQ(url_without_query("https://host:1/a?sig=CANARY"), "https://host:1/a");
  EXPECT_EQ(url_without_query("/relative?sig=CANARY"), "<unparsable URL>");
}

} // namespace
} // namespace wisetup::http
