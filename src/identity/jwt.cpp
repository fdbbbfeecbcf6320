#include "identity/jwt.hpp"

#include <wisetup/core/error.hpp>

#include <openssl/err.h>

#include <array>
#include <memory>
#include <vector>

namespace wisetup::identity::detail {
namespace {

struct MdContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

} // namespace

std::string base64url(std::string_view bytes) {
  static constexpr std::array<char, 64> k_alphabet{
      'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P',
      'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f',
      'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
      'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-', '_'};
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  auto const byte = [&](std::size_t at) {
    return static_cast<unsigned char>(bytes[at]);
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned const group = (byte(i) << 16U) | (byte(i + 1) << 8U) | byte(i + 2);
    out += k_alphabet[(group >> 18U) & 0x3FU];
    out += k_alphabet[(group >> 12U) & 0x3FU];
    out += k_alphabet[(group >> 6U) & 0x3FU];
    out += k_alphabet[group & 0x3FU];
  }
  if (bytes.size() - i == 1) {
    unsigned const group = byte(i) << 16U;
    out += k_alphabet[(group >> 18U) & 0x3FU];
    out += k_alphabet[(group >> 12U) & 0x3FU];
  } else if (bytes.size() - i == 2) {
    unsigned const group = (byte(i) << 16U) | (byte(i + 1) << 8U);
    out += k_alphabet[(group >> 18U) & 0x3FU];
    out += k_alphabet[(group >> 12U) & 0x3FU];
    out += k_alphabet[(group >> 6U) & 0x3FU];
  }
  return out;
}

std::string sign_rs256(nlohmann::json const& header, nlohmann::json const& claims, EVP_PKEY* key) {
  auto const signing_input = base64url(header.dump()) + "." + base64url(claims.dump());
  auto const fail = [] {
    auto const reason = ERR_reason_error_string(ERR_peek_last_error());
    ERR_clear_error();
    return core::AuthenticationError(
        std::string("cannot sign the client assertion with the certificate's private key (") +
        (reason != nullptr ? reason : "unknown OpenSSL error") +
        "); check that AZURE_CLIENT_CERTIFICATE_PATH holds an RSA key");
  };
  std::unique_ptr<EVP_MD_CTX, MdContextFree> const context{EVP_MD_CTX_new()};
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
    throw fail();
  }
  std::size_t size = 0;
  auto const* data = reinterpret_cast<unsigned char const*>(signing_input.data());
  if (EVP_DigestSign(context.get(), nullptr, &size, data, signing_input.size()) != 1) {
    throw fail();
  }
  std::vector<unsigned char> signature(size);
  if (EVP_DigestSign(context.get(), signature.data(), &size, data, signing_input.size()) != 1) {
    throw fail();
  }
  return signing_input + "." +
         base64url(std::string_view(reinterpret_cast<char const*>(signature.data()), size));
}

} // namespace wisetup::identity::detail
