#include "sim/certificates.hpp"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>

namespace wisetup::sim {
namespace {

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

} // namespace
} // namespace wisetup::sim
