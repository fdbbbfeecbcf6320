#pragma once

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <memory>
#include <string>

namespace wisetup::sim::testing {

/// An RSA key with its certificate, to sign client assertions the way a client would.
class AssertionSigner {
public:
  /// Reads the first private key and certificate of a PEM file (e.g. the seed's fixture).
  static AssertionSigner from_pem_file(std::filesystem::path const& path);
  /// A fresh RSA-2048 key with a self-signed certificate valid for a day.
  static AssertionSigner generate();

  [[nodiscard]] std::string certificate_pem() const;
  [[nodiscard]] std::string x5t() const;      ///< base64url SHA-1 of the DER certificate
  [[nodiscard]] std::string x5t_s256() const; ///< base64url SHA-256 of the DER certificate
  /// header.claims.signature, with "alg" set in the header; `algorithm` RS256 or PS256.
  [[nodiscard]] std::string sign(nlohmann::json header,
                                 nlohmann::json const& claims,
                                 std::string const& algorithm = "RS256") const;

private:
  std::shared_ptr<EVP_PKEY> m_key;
  std::shared_ptr<X509> m_certificate;
};

} // namespace wisetup::sim::testing
