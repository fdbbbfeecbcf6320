#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/http/transport.hpp>

#include <memory>
#include <string>

namespace wisetup::identity {

class ClientAssertionCredential;

/// Client credentials grant with a certificate (AZURE_CLIENT_CERTIFICATE_PATH): every token
/// request carries a new client assertion, a JWT signed RS256 with the certificate's private key
/// (header: x5t#S256 = base64url SHA-256 of the DER certificate, and x5t = its SHA-1 for older
/// services; claims: aud = the token endpoint, iss = sub = client id, a random jti, nbf = iat =
/// now, exp = now + 10 minutes). No cache: wrap it in a CachedCredential.
class ClientCertificateCredential final : public http::TokenCredential {
public:
  /// Reads `certificate_path` once: one PEM file holding the certificate and its RSA private key
  /// (PKCS#8 or traditional, optionally encrypted with `password`; further certificates, a
  /// chain, are allowed: the one matching the key is used), or a PFX / PKCS#12 file opened with
  /// `password`. With `send_chain` (AZURE_CLIENT_SEND_CERTIFICATE_CHAIN) every assertion carries
  /// the certificates in an x5c header, the key's first, for subject name and issuer
  /// authentication. Throws core::InvalidInput naming the
  /// path and the fix when the file cannot be read, holds no certificate or no key, the key is
  /// encrypted and `password` is empty or wrong, the key is not RSA, or no certificate matches
  /// the key. No message contains key material or the password.
  ClientCertificateCredential(std::string authority_host,
                              std::string tenant_id,
                              std::string client_id,
                              std::string const& certificate_path,
                              std::string const& password,
                              std::shared_ptr<http::Transport> transport,
                              std::shared_ptr<core::Clock> clock,
                              http::RetryOptions retry = {},
                              bool send_chain = false);
  /// Throws core::AuthenticationError when the token endpoint refuses (AADSTS code, the
  /// service's sentence and a fix; an unregistered certificate (700027) names its thumbprint),
  /// and http::TransportError naming the authority when it cannot be reached.
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override;
  /// "client certificate (AZURE_CLIENT_ID=<id>, AZURE_CLIENT_CERTIFICATE_PATH=<path>)".
  [[nodiscard]] std::string describe() const override;
  /// The SHA-1 thumbprint in upper-case hex, as the Azure portal shows it.
  [[nodiscard]] std::string const& thumbprint() const;

private:
  struct Key;
  std::shared_ptr<Key const> m_key;
  std::shared_ptr<ClientAssertionCredential const> m_inner;
};

} // namespace wisetup::identity
