#include "sim/encoding.hpp"
#include "sim/jwt.hpp"

#include <gtest/gtest.h>

namespace wisetup::sim {
namespace {

TEST(JwtTest, Base64UrlDecodesWhatItEncodes) {
  for (std::string const text : {"", "f", "fo", "foo", "foob", "\xff\xfe\x00?"}) {
    EXPECT_EQ(base64url_decode(base64url_encode(text)), text);
  }
  EXPECT_EQ(base64url_decode("Zm9vYg=="), "foob") << "padding tolerated";
  EXPECT_FALSE(base64url_decode("Zm9v+g")) << "'+' is not base64url";
  EXPECT_FALSE(base64url_decode("Z")) << "impossible length";
}

TEST(JwtTest, SignedTokenParsesAndVerifies) {
  RsaSigningKey const key;
  std::string const token = sign_jwt(key, {{"typ", "JWT"}}, {{"sub", "s"}, {"exp", 2000000000}});
  auto const parsed = parse_jwt(token);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->header["alg"], "RS256");
  EXPECT_EQ(parsed->header["kid"], key.key_id());
  EXPECT_EQ(parsed->claims["sub"], "s");
  EXPECT_EQ(numeric_date(parsed->claims, "exp"), 2000000000);
  EXPECT_FALSE(numeric_date(parsed->claims, "sub"));
  EXPECT_FALSE(numeric_date(parsed->claims, "nbf"));
  EXPECT_TRUE(verify_jws_signature(key.key(), "RS256", parsed->signing_input, parsed->signature));
}

TEST(JwtTest, MalformedTokensDoNotParse) {
  EXPECT_FALSE(parse_jwt(""));
  EXPECT_FALSE(parse_jwt("a.b"));
  EXPECT_FALSE(parse_jwt("a.b.c.d"));
  EXPECT_FALSE(parse_jwt(base64url_encode("[]") + "." + base64url_encode("{}") + ".")) << "header";
  EXPECT_FALSE(parse_jwt(base64url_encode("{}") + "." + base64url_encode("x") + "."));
  EXPECT_TRUE(parse_jwt(base64url_encode("{}") + "." + base64url_encode("{}") + "."));
}

TEST(JwtTest, NumericDatesAreClampedAndTruncated) {
  nlohmann::json const claims = {{"big", 1e300}, {"fraction", 12.9}, {"negative", -5}};
  EXPECT_EQ(numeric_date(claims, "fraction"), 12);
  EXPECT_EQ(numeric_date(claims, "negative"), -5);
  EXPECT_LT(*numeric_date(claims, "big"), 1000000000000000LL);
}

} // namespace
} // namespace wisetup::sim
