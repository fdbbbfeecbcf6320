#include "sim/certificates.hpp"
#include "sim/default_seed.hpp"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>

namespace wisetup::sim {
namespace {

std::string default_seed_certificate() {
  auto const seed = nlohmann::json::parse(default_seed());
  for (auto const& principal : seed["servicePrincipals"]) {
    if (principal.contains("certificates")) {
      return principal["certificates"][0];
    }
  }
  return {};
}

TEST(CertificatesTest, ServerCertificateChainsAndNamesTheLoopback) {
  CertificateAuthority const authority{"test CA"};
  IssuedCertificate const server =
      authority.issue_server_certificate("127.0.0.1", {"localhost"}, {"127.0.0.1"});
  EXPECT_TRUE(authority.has_issued(server.certificate()));
  EXPECT_EQ(X509_check_host(server.certificate(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(server.certificate(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_host(server.certificate(), "example.com", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_check_purpose(server.certificate(), X509_PURPOSE_SSL_SERVER, 0), 1);
  EXPECT_NE(server.certificate_pem().find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(server.private_key_pem().find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(authority.certificate_pem().find("BEGIN CERTIFICATE"), std::string::npos);
}

TEST(CertificatesTest, ClientCertificateIsOnlyTrustedByItsAuthority) {
  CertificateAuthority const authority{"cluster CA"};
  CertificateAuthority const other{"other CA"};
  IssuedCertificate const client =
      authority.issue_client_certificate("masterclient", "system:masters");
  EXPECT_TRUE(authority.has_issued(client.certificate()));
  EXPECT_FALSE(other.has_issued(client.certificate()));
  EXPECT_FALSE(authority.has_issued(nullptr));
  EXPECT_EQ(X509_check_purpose(client.certificate(), X509_PURPOSE_SSL_CLIENT, 0), 1);
}

TEST(CertificatesTest, SigningKeyPublishesAnRsaJwk) {
  RsaSigningKey const key;
  nlohmann::json const jwk = key.public_jwk();
  EXPECT_EQ(jwk["kty"], "RSA");
  EXPECT_EQ(jwk["alg"], "RS256");
  EXPECT_EQ(jwk["use"], "sig");
  EXPECT_EQ(jwk["e"], "AQAB");
  EXPECT_EQ(jwk["n"].get<std::string>().size(), 342u) << "2048-bit modulus in base64url";
  EXPECT_EQ(jwk["kid"], key.public_jwk()["kid"]);
  EXPECT_EQ(jwk.dump().find("\"d\""), std::string::npos) << "never the private exponent";
}

TEST(CertificatesTest, SigningKeySignatureVerifiesOnlyForItsKey) {
  RsaSigningKey const key;
  RsaSigningKey const other;
  std::string const signature = key.sign_rs256("header.claims");
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_TRUE(verify_jws_signature(key.key(), "RS256", "header.claims", signature));
  EXPECT_FALSE(verify_jws_signature(key.key(), "RS256", "header.claimz", signature));
  EXPECT_FALSE(verify_jws_signature(other.key(), "RS256", "header.claims", signature));
  EXPECT_FALSE(verify_jws_signature(key.key(), "PS256", "header.claims", signature));
  EXPECT_FALSE(verify_jws_signature(key.key(), "none", "header.claims", ""));
  EXPECT_EQ(key.key_id(), key.public_jwk()["kid"]);
}

TEST(CertificatesTest, PublicCertificateOfTheSeedFixtureHasItsThumbprints) {
  CertificateAuthority const authority{"ec CA"};
  EXPECT_THROW(PublicCertificate{authority.certificate_pem()}, std::invalid_argument)
      << "EC keys cannot sign RS256";
  EXPECT_THROW(PublicCertificate{"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
               std::invalid_argument);
  // An RSA certificate: the one the default seed registers for wi-setup-cert.
  std::string const text = default_seed_certificate();
  PublicCertificate const certificate{text};
  EXPECT_EQ(certificate.x5t().size(), 27u) << "base64url of 20 bytes";
  EXPECT_EQ(certificate.x5t_s256().size(), 43u) << "base64url of 32 bytes";
  EXPECT_EQ(certificate.thumbprint().size(), 40u);
  EXPECT_FALSE(certificate.expired());
  EXPECT_NE(certificate.public_key(), nullptr);
}

} // namespace
} // namespace wisetup::sim
