#pragma once

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace wisetup::testing {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};

/// A private key and a self-signed certificate for it, made at run time.
struct TestCertificate {
  std::unique_ptr<EVP_PKEY, PkeyFree> key;
  std::unique_ptr<X509, X509Free> certificate;

  /// The certificate in PEM.
  [[nodiscard]] std::string certificate_pem() const;
  /// The private key in PEM: PKCS#8, encrypted (AES-256-CBC) when `password` is not empty, or the
  /// traditional format ("BEGIN RSA PRIVATE KEY", Proc-Type when encrypted) when `traditional`.
  [[nodiscard]] std::string key_pem(std::string const& password = {},
                                    bool traditional = false) const;
  /// The DER encoding of the certificate.
  [[nodiscard]] std::string der() const;
};

/// A 2048-bit RSA key and certificate, made once per process (key generation is slow).
[[nodiscard]] TestCertificate const& rsa_certificate();
/// Another RSA key and certificate, for mismatches.
[[nodiscard]] TestCertificate const& other_rsa_certificate();
/// A P-256 key and certificate.
[[nodiscard]] TestCertificate const& ec_certificate();

/// A directory under the system temp directory, removed with everything in it on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(TempDir const&) = delete;
  TempDir& operator=(TempDir const&) = delete;
  /// Writes `content` to `name` in the directory and returns its path.
  std::string write(std::string const& name, std::string_view content) const;
  [[nodiscard]] std::filesystem::path const& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

[[nodiscard]] std::string sha256(std::string_view bytes);
[[nodiscard]] std::string sha1(std::string_view bytes);

/// A compact JWS, split and decoded.
struct DecodedJwt {
  nlohmann::json header;
  nlohmann::json claims;
  std::string signing_input; ///< "<header>.<claims>" as sent
  std::string signature;     ///< raw bytes
};
[[nodiscard]] DecodedJwt decode_jwt(std::string_view jwt);

/// True when `jwt` carries a valid RS256 signature by the key of `certificate`.
[[nodiscard]] bool verify_rs256(DecodedJwt const& jwt, X509* certificate);

} // namespace wisetup::testing
