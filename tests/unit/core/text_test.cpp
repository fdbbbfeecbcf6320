#include <wisetup/core/text.hpp>

#include <gtest/gtest.h>

namespace wisetup::core {
namespace {

TEST(TextTest, ComparesAndLowersAsciiOnly) {
  EXPECT_EQ(to_lower("Microsoft.KeyVault/Vaults"), "microsoft.keyvault/vaults");
  EXPECT_TRUE(equals_ignoring_case("Succeeded", "succeeded"));
  EXPECT_FALSE(equals_ignoring_case("Succeeded", "Succeede"));
  EXPECT_FALSE(equals_ignoring_case("get", "set"));
}

TEST(TextTest, HttpsUrlsInAnyCase) {
  EXPECT_TRUE(is_https_url("https://login.microsoftonline.com/"));
  EXPECT_TRUE(is_https_url("HTTPS://Example.com")) << "schemes are case-insensitive";
  EXPECT_TRUE(is_https_url("hTtPs://h"));
  EXPECT_FALSE(is_https_url("https://")) << "nothing after the scheme";
  EXPECT_FALSE(is_https_url("http://example.com"));
  EXPECT_FALSE(is_https_url("example.com"));
  EXPECT_FALSE(is_https_url(" https://example.com"));
  EXPECT_FALSE(is_https_url(""));
}

TEST(TextTest, TrimsAsciiWhitespace) {
  EXPECT_EQ(trimmed("  a b \t\r\n"), "a b");
  EXPECT_EQ(trimmed("\v\fx"), "x");
  EXPECT_EQ(trimmed(" \n "), "");
  EXPECT_EQ(trimmed(""), "");
  std::string const text = " kept ";
  EXPECT_EQ(trimmed(text).data(), text.data() + 1) << "a view into the text, no copy";
}

TEST(TextTest, JoinsAnyRangeOfText) {
  EXPECT_EQ(join({"get", "list"}, ","), "get,list");
  EXPECT_EQ(join(std::vector<std::string>{}, ", "), "");
  std::vector<char const*> const names{"a", "b", "c"};
  EXPECT_EQ(join(names, ", "), "a, b, c");
  std::vector<std::string_view> const one{"only"};
  EXPECT_EQ(join(one, "|"), "only");
}

} // namespace
} // namespace wisetup::core
