#pragma once

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <string>

namespace wisetup::identity::detail {

/// A compact JWS: base64url(header) "." base64url(claims) "." base64url(RS256 signature), signed
/// with `key` (an RSA private key; PKCS#1 v1.5 padding over SHA-256). Safe to call from several
/// threads with one key. Throws core::AuthenticationError when OpenSSL cannot sign; the message
/// names no key material.
[[nodiscard]] std::string
sign_rs256(nlohmann::json const& header, nlohmann::json const& claims, EVP_PKEY* key);

} // namespace wisetup::identity::detail
