#include "identity/jwt.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/base64.hpp>

#include <openssl/err.h>

#include <memory>
#include <vector>

namespace wisetup::identity::detail {
namespace {

struct MdContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

} // namespace

std::string sign_rs256(nlohmann::json const& header, nlohmann::json const& claims, EVP_PKEY* key) {
  auto const signing_input =
      http::base64url_encode(header.dump()) + "." + http::base64url_encode(claims.dump());
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
         http::base64url_encode(
             std::string_view(reinterpret_cast<char const*>(signature.data()), size));
}

} // namespace wisetup::identity::detail
