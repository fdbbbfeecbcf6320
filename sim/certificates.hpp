#pragma once

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

namespace wisetup::sim {

/// Frees OpenSSL objects held in std::unique_ptr.
struct OpenSslFree {
  void operator()(EVP_PKEY* key) const;
  void operator()(X509* certificate) const;
  void operator()(X509_STORE* store) const;
};

using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using CertificatePtr = std::unique_ptr<X509, OpenSslFree>;
using StorePtr = std::unique_ptr<X509_STORE, OpenSslFree>;

/// A private key (EC P-256) and the certificate issued for it.
class IssuedCertificate {
public:
  IssuedCertificate(KeyPtr key, CertificatePtr certificate);

  /// The certificate as PEM ("-----BEGIN CERTIFICATE-----").
  [[nodiscard]] std::string certificate_pem() const;
  /// The private key as PKCS#8 PEM. Secret: never log it.
  [[nodiscard]] std::string private_key_pem() const;
  [[nodiscard]] EVP_PKEY* key() const { return m_key.get(); }
  [[nodiscard]] X509* certificate() const { return m_certificate.get(); }

private:
  KeyPtr m_key;
  CertificatePtr m_certificate;
};

/// A self-signed certificate authority (EC P-256, SHA-256) that issues TLS server and client
/// certificates valid from an hour ago for one year. Every function throws std::runtime_error
/// naming the OpenSSL step that failed.
class CertificateAuthority {
public:
  /// Generates the key and the self-signed certificate with subject CN=`common_name`.
  explicit CertificateAuthority(std::string const& common_name);

  /// A server certificate (extendedKeyUsage serverAuth) whose subjectAltName lists `dns_names`
  /// and `ip_addresses`, so that host-name verification succeeds for each.
  [[nodiscard]] IssuedCertificate
  issue_server_certificate(std::string const& common_name,
                           std::vector<std::string> const& dns_names,
                           std::vector<std::string> const& ip_addresses) const;

  /// A client certificate (extendedKeyUsage clientAuth) with subject CN and O, as Kubernetes reads
  /// user name and group from them.
  [[nodiscard]] IssuedCertificate issue_client_certificate(std::string const& common_name,
                                                           std::string const& organization) const;

  /// The authority's own certificate as PEM: what clients put in their trust store.
  [[nodiscard]] std::string certificate_pem() const;

  /// True when `certificate` chains to this authority and is valid now.
  [[nodiscard]] bool has_issued(X509* certificate) const;

private:
  KeyPtr m_key;
  CertificatePtr m_certificate;
  StorePtr m_store;
};

/// An RSA-2048 key pair of which only the public half is published, as a JSON Web Key.
class RsaSigningKey {
public:
  RsaSigningKey();

  /// {"use":"sig","kty":"RSA","kid":...,"alg":"RS256","n":...,"e":...}.
  [[nodiscard]] nlohmann::json public_jwk() const;

private:
  KeyPtr m_key;
};

} // namespace wisetup::sim
