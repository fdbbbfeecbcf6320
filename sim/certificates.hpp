#pragma once

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
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

/// An RSA-2048 key pair of which only the public half is published, as a JSON Web Key: the
/// signing key of an OIDC issuer the simulator hosts.
class RsaSigningKey {
public:
  RsaSigningKey();

  /// {"use":"sig","kty":"RSA","kid":...,"alg":"RS256","n":...,"e":...}.
  [[nodiscard]] nlohmann::json public_jwk() const;
  /// The "kid" of public_jwk(): base64url(SHA-256(DER SubjectPublicKeyInfo)), as Kubernetes
  /// derives it.
  [[nodiscard]] std::string const& key_id() const { return m_key_id; }
  /// The RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `data`. Throws std::runtime_error
  /// when OpenSSL fails.
  [[nodiscard]] std::string sign_rs256(std::string_view data) const;
  [[nodiscard]] EVP_PKEY* key() const { return m_key.get(); }

private:
  KeyPtr m_key;
  std::string m_key_id;
};

/// The public certificate an application registered (its key credential), used to check the
/// signature of its client assertions. Immutable.
class PublicCertificate {
public:
  /// Reads one PEM certificate with an RSA key. Throws std::invalid_argument saying what is wrong
  /// (not PEM, not a certificate, not RSA).
  explicit PublicCertificate(std::string const& pem);

  /// The PEM text it was read from.
  [[nodiscard]] std::string const& pem() const { return m_pem; }
  /// base64url(SHA-1(DER)): the JWT header "x5t".
  [[nodiscard]] std::string const& x5t() const { return m_x5t; }
  /// base64url(SHA-256(DER)): the JWT header "x5t#S256".
  [[nodiscard]] std::string const& x5t_s256() const { return m_x5t_s256; }
  /// The SHA-1 thumbprint in upper-case hex, as the Azure portal shows it.
  [[nodiscard]] std::string const& thumbprint() const { return m_thumbprint; }
  /// True when the certificate's notAfter has passed.
  [[nodiscard]] bool expired() const;
  [[nodiscard]] EVP_PKEY* public_key() const;

private:
  std::string m_pem;
  CertificatePtr m_certificate;
  std::string m_x5t;
  std::string m_x5t_s256;
  std::string m_thumbprint;
};

/// True when `signature` is a valid JWS signature of `signing_input` under `key` for `algorithm`
/// ("RS256" or "PS256"); false for any other algorithm, key type or a bad signature.
[[nodiscard]] bool verify_jws_signature(EVP_PKEY* key,
                                        std::string const& algorithm,
                                        std::string_view signing_input,
                                        std::string_view signature);

} // namespace wisetup::sim
