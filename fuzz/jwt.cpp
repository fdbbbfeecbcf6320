// JWTs: the client assertions wi-setup signs (http::base64url_encode, sign_rs256) and the
// service-account tokens it passes on as assertions (identity::detail::without_secrets keeps them
// out of messages). wi-setup never decodes a JWT itself, so the oracle here decodes what it
// produced and checks it: the parts round-trip, the signature verifies, and the standard base64
// decoder (listClusterUserCredential, kubeconfigs) agrees with the base64url encoder.
#include "identity/jwt.hpp"

#include "identity/token_endpoint.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/base64.hpp>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void broken(char const* what) {
  std::fprintf(stderr, "fuzz_jwt: %s\n", what);
  std::abort();
}

EVP_PKEY* g_key = nullptr;

/// base64url (no padding) -> standard base64 with padding, for http::base64_decode.
std::string standard_base64(std::string text) {
  for (auto& c : text) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    }
  }
  while (text.size() % 4 != 0) {
    text += '=';
  }
  return text;
}

std::string decoded_part(std::string_view part) {
  auto decoded = wisetup::http::base64_decode(standard_base64(std::string(part)));
  if (!decoded) {
    broken("a part of the JWT is not base64url");
  }
  if (wisetup::http::base64url_decode(part) != decoded) {
    broken("base64url_decode and base64_decode disagree");
  }
  return *decoded;
}

void check_encoding(std::string_view bytes) {
  auto const encoded = wisetup::http::base64url_encode(bytes);
  if (encoded.size() != (bytes.size() * 4 + 2) / 3) {
    broken("base64url has the wrong length");
  }
  for (char const c : encoded) {
    bool const ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) {
      broken("base64url produced a character outside its alphabet");
    }
  }
  if (decoded_part(encoded) != bytes) {
    broken("base64url does not round-trip through base64_decode");
  }
  if (wisetup::http::base64_decode(wisetup::http::base64_encode(bytes)) != bytes) {
    broken("standard base64 does not round-trip");
  }
}

void check_signed(nlohmann::json const& claims) {
  nlohmann::json const header{{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", "fuzz"}};
  auto const jwt = wisetup::identity::detail::sign_rs256(header, claims, g_key);
  auto const first = jwt.find('.');
  auto const second = jwt.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos ||
      jwt.find('.', second + 1) != std::string::npos) {
    broken("sign_rs256 did not produce three parts");
  }
  std::string_view const view = jwt;
  if (decoded_part(view.substr(0, first)) != header.dump() ||
      decoded_part(view.substr(first + 1, second - first - 1)) != claims.dump()) {
    broken("the JWT's header or claims do not decode to what was signed");
  }
  auto const signature = decoded_part(view.substr(second + 1));
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  bool const verified = context != nullptr &&
                        EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, g_key) == 1 &&
                        EVP_DigestVerify(context,
                                         reinterpret_cast<unsigned char const*>(signature.data()),
                                         signature.size(),
                                         reinterpret_cast<unsigned char const*>(jwt.data()),
                                         second) == 1;
  EVP_MD_CTX_free(context);
  if (!verified) {
    broken("the JWT's signature does not verify");
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // 1024 bits: signing on every input stays cheap; the size does not matter to the encoding.
  g_key = EVP_RSA_gen(1024);
  if (g_key == nullptr) {
    broken("cannot generate the RSA key");
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view const input(reinterpret_cast<char const*>(data), size);

  check_encoding(input);
  // Arbitrary text through the standard decoder (kubeconfigs from ARM arrive base64-encoded).
  (void)wisetup::http::base64_decode(input);
  (void)wisetup::http::base64url_decode(input);

  // The input as the claims of a client assertion.
  auto const claims = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (claims.is_object()) {
    try {
      check_signed(claims);
    } catch (wisetup::core::AuthenticationError const&) {
      broken("sign_rs256 failed with a valid key");
    }
  }

  // The input as a service-account token that Entra echoes back in its error description.
  std::string const token(input);
  (void)wisetup::identity::detail::without_secrets(
      "AADSTS50027: JWT token is invalid or malformed: " + token + ". Trace ID: 1", {token});
  return 0;
}
