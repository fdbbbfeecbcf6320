#include <wisetup/http/base64.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace wisetup::http {
namespace {

/// `size` random bytes; the last one is zero when `zero_last` (EVP_DecodeBlock decodes padding to
/// zero bytes, so a codec that strips zeros instead of the padding fails on these).
std::string random_bytes(std::size_t size, std::mt19937& generator, bool zero_last) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string bytes;
  for (std::size_t i = 0; i < size; ++i) {
    bytes += static_cast<char>(byte(generator));
  }
  if (zero_last && !bytes.empty()) {
    bytes.back() = '\0';
  }
  return bytes;
}

TEST(Base64Test, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode(""), "");
}

TEST(Base64Test, UrlAlphabetWithoutPadding) {
  std::string const bytes{"\xfb\xff\xbf\x3e", 4};
  EXPECT_EQ(base64_encode(bytes), "+/+/Pg==");
  EXPECT_EQ(base64url_encode(bytes), "-_-_Pg");
  EXPECT_EQ(base64url_decode("-_-_Pg"), bytes);
  EXPECT_EQ(base64url_decode("-_-_Pg=="), bytes) << "padding is tolerated";
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
}

TEST(Base64Test, RoundTripsEveryLengthUpTo40) {
  std::mt19937 generator{20240601U};
  for (std::size_t size = 0; size <= 40; ++size) {
    for (bool const zero_last : {false, true}) {
      auto const bytes = random_bytes(size, generator, zero_last);
      auto const standard = base64_encode(bytes);
      EXPECT_EQ(standard.size(), 4 * ((size + 2) / 3)) << size;
      EXPECT_EQ(base64_decode(standard), bytes) << size << " " << standard;
      auto const url = base64url_encode(bytes);
      EXPECT_EQ(url.size(), (size * 4 + 2) / 3) << size;
      EXPECT_EQ(url.find_first_of("+/="), std::string::npos) << url;
      EXPECT_EQ(base64url_decode(url), bytes) << size << " " << url;
      // Standard base64 without its padding decodes too (ARM's kubeconfigs carry it, not all do).
      auto unpadded = standard;
      while (!unpadded.empty() && unpadded.back() == '=') {
        unpadded.pop_back();
      }
      EXPECT_EQ(base64_decode(unpadded), bytes) << size << " " << unpadded;
    }
  }
}

TEST(Base64Test, AllZeroBytesSurvive) {
  for (std::size_t size = 0; size <= 7; ++size) {
    std::string const zeros(size, '\0');
    EXPECT_EQ(base64_decode(base64_encode(zeros)), zeros) << size;
    EXPECT_EQ(base64url_decode(base64url_encode(zeros)), zeros) << size;
  }
}

TEST(Base64Test, IgnoresLineBreaksInStandardBase64) {
  EXPECT_EQ(base64_decode("Zm9v\nYmFy\r\n"), "foobar");
  EXPECT_EQ(base64_decode(" Zm9v YmE= "), "fooba");
  EXPECT_FALSE(base64url_decode("Zm9v\nYmFy")) << "base64url has no line breaks";
}

TEST(Base64Test, RefusesWhatIsNotBase64) {
  EXPECT_FALSE(base64_decode("Z")) << "one character is less than a byte";
  EXPECT_FALSE(base64_decode("Zm9vY")) << "impossible length";
  EXPECT_FALSE(base64_decode("Zm9v*mFy")) << "not in the alphabet";
  EXPECT_FALSE(base64_decode("Zm9v-_")) << "base64url characters in standard base64";
  EXPECT_FALSE(base64url_decode("Zm9v+g")) << "'+' is not base64url";
  EXPECT_FALSE(base64url_decode("Zm9v/g")) << "'/' is not base64url";
  EXPECT_FALSE(base64_decode("Zg=")) << "padding that does not complete the group";
  EXPECT_FALSE(base64_decode("Zg===")) << "too much padding";
  EXPECT_FALSE(base64_decode("=")) << "padding alone";
  EXPECT_FALSE(base64_decode("====")) << "padding alone";
  EXPECT_FALSE(base64_decode("Zg==Zm9v")) << "data after padding";
  EXPECT_FALSE(base64_decode("Zm=v")) << "padding inside a group";
  EXPECT_FALSE(base64_decode(std::string("Zm9v\0YmFy", 9))) << "a NUL byte";
  EXPECT_FALSE(base64_decode("Zm9v\xc3\xa9")) << "non-ASCII text";
}

TEST(Base64Test, LargeInputGoesThroughInPieces) {
  std::mt19937 generator{7U};
  auto const bytes = random_bytes(200001, generator, true);
  auto const encoded = base64_encode(bytes);
  EXPECT_EQ(encoded.size(), 4 * ((bytes.size() + 2) / 3));
  EXPECT_EQ(base64_decode(encoded), bytes);
  EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
}

} // namespace
} // namespace wisetup::http
