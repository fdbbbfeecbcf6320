#include <wisetup/http/guid.hpp>

#include <gtest/gtest.h>

#include <array>
#include <regex>

namespace wisetup::http {
namespace {

TEST(GuidTest, FormatsSixteenBytesInOrder) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<std::uint8_t>(i * 17);
  }
  EXPECT_EQ(format_guid(bytes), "00112233-4455-6677-8899-aabbccddeeff");
}

TEST(GuidTest, RandomGuidsAreVersion4) {
  std::regex const version4{"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"};
  auto const first = random_guid();
  EXPECT_TRUE(std::regex_match(first, version4)) << first;
  EXPECT_NE(random_guid(), first);
}

} // namespace
} // namespace wisetup::http
