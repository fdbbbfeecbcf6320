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

} // namespace
} // namespace wisetup::core
