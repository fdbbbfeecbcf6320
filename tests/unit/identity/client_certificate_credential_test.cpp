#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"
#include "test_pki.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/base64.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/client_certificate_credential.hpp>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>

#include <cctype>

namespace wisetup::identity {
namespace client_certificate_credential_test {

using testing::FakeTransport;
using testing::ManualClock;
using testing::TempDir;

constexpr char const* k_tenant = "contoso.onmicrosoft.com";
constexpr char const* k_client = "11111111-2222-3333-4444-555555555555";
constexpr char const* k_scope = "https://management.azure.com/.default";
constexpr char const* k_password = "CANARY-pass word";

class ClientCertificateCredentialTest : public ::testing::Test {
protected:
  [[nodiscard]] ClientCertificateCredential credential(std::string const& path,
                                                       std::string const& password = {},
                                                       bool send_chain = false) const {
    http::RetryOptions retry;
    retry.max_retries = 0;
    return ClientCertificateCredential{"https://login.test/",
                                       k_tenant,
                                       k_client,
                                       path,
                                       password,
                                       m_transport,
                                       m_clock,
                                       retry,
                                       send_chain};
  }

  /// A PFX of `leaf` with its key and `chain`, protected by `password`.
  std::string pfx(testing::TestCertificate const& leaf,
                  std::vector<testing::TestCertificate const*> const& chain,
                  std::string const& password) {
    STACK_OF(X509)* extra = sk_X509_new_null();
    for (auto const* certificate : chain) {
      sk_X509_push(extra, certificate->certificate.get());
    }
    PKCS12* p12 = PKCS12_create(password.c_str(),
                                "wi-setup test",
                                leaf.key.get(),
                                leaf.certificate.get(),
                                extra,
                                0,
                                0,
                                0,
                                0,
                                0);
    sk_X509_free(extra);
    unsigned char* der = nullptr;
    int const length = i2d_PKCS12(p12, &der);
    PKCS12_free(p12);
    std::string bytes(reinterpret_cast<char const*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    return m_dir.write("client.pfx", bytes);
  }

  /// The message of the InvalidInput that loading `path` raises; checks it names the path and
  /// holds no key material or password.
  std::string load_error(std::string const& path, std::string const& password = {}) {
    try {
      (void)credential(path, password);
    } catch (core::InvalidInput const& error) {
      std::string message = error.what();
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
      EXPECT_EQ(message.find("MII"), std::string::npos) << message; // base64 DER
      return message;
    }
    ADD_FAILURE() << "expected InvalidInput";
    return {};
  }

  /// The client assertion of the `index`th request.
  [[nodiscard]] std::string assertion(std::size_t index = 0) const {
    auto const requests = m_transport->requests();
    EXPECT_GT(requests.size(), index);
    return http::query_parameter(requests.at(index).body, "client_assertion").value_or("");
  }

  void respond_token(std::string const& token = "t") {
    m_transport->respond_json(200, R"({"expires_in":3600,"access_token":")" + token + R"("})");
  }

  TempDir m_dir;
  std::shared_ptr<FakeTransport> m_transport = std::make_shared<FakeTransport>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(ClientCertificateCredentialTest, SendsAnRs256AssertionSignedByTheCertificatesKey) {
  auto const& pki = testing::rsa_certificate();
  auto const path = m_dir.write("client.pem", pki.certificate_pem() + pki.key_pem());
  respond_token("the-token");
  auto const token = credential(path).get_token(k_scope);
  EXPECT_EQ(token.token, "the-token");

  auto const request = m_transport->requests().at(0);
  EXPECT_EQ(request.url, "https://login.test/contoso.onmicrosoft.com/oauth2/v2.0/token");
  EXPECT_EQ(http::query_parameter(request.body, "grant_type"), "client_credentials");
  EXPECT_EQ(http::query_parameter(request.body, "client_id"), k_client);
  EXPECT_EQ(http::query_parameter(request.body, "scope"), k_scope);
  EXPECT_EQ(http::query_parameter(request.body, "client_assertion_type"),
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  EXPECT_FALSE(http::query_parameter(request.body, "client_secret"));
  EXPECT_FALSE(request.headers.contains("Authorization"));

  auto const jwt = testing::decode_jwt(assertion());
  EXPECT_EQ(jwt.header["alg"], "RS256");
  EXPECT_EQ(jwt.header["typ"], "JWT");
  EXPECT_EQ(jwt.header["x5t#S256"], http::base64url_encode(testing::sha256(pki.der())));
  EXPECT_EQ(jwt.header["x5t"], http::base64url_encode(testing::sha1(pki.der())));
  EXPECT_TRUE(testing::verify_rs256(jwt, pki.certificate.get()));
  // The signature covers exactly what was sent: a changed claim does not verify.
  auto tampered = jwt;
  tampered.signing_input.back() = tampered.signing_input.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(testing::verify_rs256(tampered, pki.certificate.get()));
  EXPECT_FALSE(testing::verify_rs256(jwt, testing::other_rsa_certificate().certificate.get()));
}

TEST_F(ClientCertificateCredentialTest, ClaimsNameTheEndpointTheClientAndTenMinutes) {
  auto const& pki = testing::rsa_certificate();
  auto const path = m_dir.write("client.pem", pki.key_pem() + pki.certificate_pem());
  respond_token();
  (void)credential(path).get_token(k_scope);

  auto const claims = testing::decode_jwt(assertion()).claims;
  auto const now =
      std::chrono::duration_cast<std::chrono::seconds>(m_clock->wall_now().time_since_epoch())
          .count();
  EXPECT_EQ(claims["aud"], "https://login.test/contoso.onmicrosoft.com/oauth2/v2.0/token");
  EXPECT_EQ(claims["iss"], k_client);
  EXPECT_EQ(claims["sub"], k_client);
  EXPECT_EQ(claims["nbf"], now);
  EXPECT_EQ(claims["iat"], now);
  EXPECT_EQ(claims["exp"], now + 600);
  auto const jti = claims["jti"].get<std::string>();
  EXPECT_EQ(jti.size(), 36U) << jti;
  EXPECT_EQ(jti[14], '4') << jti; // a version 4 GUID
}

TEST_F(ClientCertificateCredentialTest, EveryRequestCarriesAFreshAssertion) {
  auto const& pki = testing::rsa_certificate();
  auto const cred = credential(m_dir.write("client.pem", pki.certificate_pem() + pki.key_pem()));
  respond_token();
  respond_token();
  (void)cred.get_token(k_scope);
  m_clock->advance(std::chrono::minutes{30});
  (void)cred.get_token(k_scope);

  auto const first = testing::decode_jwt(assertion(0)).claims;
  auto const second = testing::decode_jwt(assertion(1)).claims;
  EXPECT_NE(first["jti"], second["jti"]);
  EXPECT_EQ(second["nbf"].get<std::int64_t>() - first["nbf"].get<std::int64_t>(), 1800);
}

TEST_F(ClientCertificateCredentialTest, UsesTheCertificateOfTheKeyAmongAChain) {
  auto const& pki = testing::rsa_certificate();
  auto const& other = testing::other_rsa_certificate();
  auto const path =
      m_dir.write("chain.pem", other.certificate_pem() + pki.certificate_pem() + pki.key_pem());
  respond_token();
  (void)credential(path).get_token(k_scope);
  auto const jwt = testing::decode_jwt(assertion());
  EXPECT_EQ(jwt.header["x5t#S256"], http::base64url_encode(testing::sha256(pki.der())));
}

TEST_F(ClientCertificateCredentialTest, DecryptsAnEncryptedKeyWithThePassword) {
  auto const& pki = testing::rsa_certificate();
  for (bool const traditional : {false, true}) {
    auto const key = pki.key_pem(k_password, traditional);
    ASSERT_NE(key.find(traditional ? "Proc-Type: 4,ENCRYPTED" : "BEGIN ENCRYPTED PRIVATE KEY"),
              std::string::npos);
    auto const path = m_dir.write("encrypted.pem", pki.certificate_pem() + key);
    respond_token();
    (void)credential(path, k_password).get_token(k_scope);
    EXPECT_TRUE(testing::verify_rs256(testing::decode_jwt(assertion(traditional ? 1 : 0)),
                                      pki.certificate.get()));
  }
}

TEST_F(ClientCertificateCredentialTest, EncryptedKeyWithoutOrWithAWrongPasswordIsNamed) {
  auto const& pki = testing::rsa_certificate();
  auto const path = m_dir.write("encrypted.pem", pki.certificate_pem() + pki.key_pem(k_password));
  auto const without = load_error(path);
  EXPECT_NE(without.find("is encrypted; set AZURE_CLIENT_CERTIFICATE_PASSWORD"), std::string::npos)
      << without;
  auto const wrong = load_error(path, "CANARY-wrong");
  EXPECT_NE(wrong.find("AZURE_CLIENT_CERTIFICATE_PASSWORD does not decrypt the private key"),
            std::string::npos)
      << wrong;

  auto const traditional =
      m_dir.write("traditional.pem", pki.certificate_pem() + pki.key_pem(k_password, true));
  EXPECT_NE(load_error(traditional, "CANARY-wrong").find("does not decrypt"), std::string::npos);
  EXPECT_NE(load_error(traditional).find("is encrypted"), std::string::npos);
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(ClientCertificateCredentialTest, UnusableFilesAreNamedWithTheirFix) {
  auto const& pki = testing::rsa_certificate();
  auto const missing = (m_dir.path() / "missing.pem").string();
  EXPECT_NE(load_error(missing).find("cannot read the client certificate"), std::string::npos);
  EXPECT_NE(
      load_error(m_dir.write("cert-only.pem", pki.certificate_pem())).find("holds no private key"),
      std::string::npos);
  EXPECT_NE(load_error(m_dir.write("key-only.pem", pki.key_pem())).find("holds no certificate"),
            std::string::npos);
  EXPECT_NE(load_error(m_dir.write("cert.pfx", std::string("\x30\x82\x0a\x00 binary", 11)))
                .find("is neither PEM nor PFX"),
            std::string::npos);
  EXPECT_NE(
      load_error(m_dir.write("mismatch.pem",
                             testing::other_rsa_certificate().certificate_pem() + pki.key_pem()))
          .find("no certificate in"),
      std::string::npos);
  auto const& ec = testing::ec_certificate();
  EXPECT_NE(load_error(m_dir.write("ec.pem", ec.certificate_pem() + ec.key_pem()))
                .find("is not an RSA key"),
            std::string::npos);
  auto broken = pki.key_pem();
  broken.replace(broken.find('\n') + 10, 8, "!!!!!!!!");
  EXPECT_NE(
      load_error(m_dir.write("broken.pem", pki.certificate_pem() + broken)).find("cannot be read"),
      std::string::npos);
  EXPECT_TRUE(m_transport->requests().empty());
}

TEST_F(ClientCertificateCredentialTest, UnregisteredCertificateNamesItsThumbprint) {
  auto const& pki = testing::rsa_certificate();
  auto const path = m_dir.write("client.pem", pki.certificate_pem() + pki.key_pem());
  auto const cred = credential(path);
  std::string expected_thumbprint;
  for (unsigned char const c : testing::sha1(pki.der())) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    expected_thumbprint += k_hex[c >> 4U];
    expected_thumbprint += k_hex[c & 0x0FU];
  }
  EXPECT_EQ(cred.thumbprint(), expected_thumbprint);

  m_transport->respond_json(401, R"({"error":"invalid_client",
      "error_description":"AADSTS700027: Client assertion failed signature validation.\r\nTrace ID: x",
      "error_codes":[700027]})");
  try {
    (void)cred.get_token(k_scope);
    FAIL() << "expected AuthenticationError";
  } catch (core::AuthenticationError const& error) {
    std::string const message = error.what();
    EXPECT_NE(message.find("AADSTS700027 Client assertion failed signature validation."),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("thumbprint " + expected_thumbprint), std::string::npos) << message;
    EXPECT_NE(message.find("Certificates & secrets"), std::string::npos) << message;
    EXPECT_EQ(message.find(assertion()), std::string::npos) << message;
  }
}

TEST_F(ClientCertificateCredentialTest, DescribesItselfByClientIdAndPath) {
  auto const& pki = testing::rsa_certificate();
  auto const path = m_dir.write("client.pem", pki.certificate_pem() + pki.key_pem());
  EXPECT_EQ(credential(path).describe(),
            std::string("client certificate (AZURE_CLIENT_ID=") + k_client +
                ", AZURE_CLIENT_CERTIFICATE_PATH=" + path + ")");
}

TEST_F(ClientCertificateCredentialTest, ReadsAPfxWithItsPassword) {
  auto const& pki = testing::rsa_certificate();
  auto const path = pfx(pki, {&testing::other_rsa_certificate()}, k_password);
  auto const cred = credential(path, k_password);
  respond_token();
  (void)cred.get_token(k_scope);
  auto const jwt = testing::decode_jwt(assertion());
  EXPECT_TRUE(testing::verify_rs256(jwt, pki.certificate.get()));
  EXPECT_FALSE(jwt.header.contains("x5c")); // only when asked for
  EXPECT_NE(load_error(path).find("AZURE_CLIENT_CERTIFICATE_PASSWORD to it"), std::string::npos);
  EXPECT_NE(load_error(path, "wrong CANARY").find("does not open the PFX"), std::string::npos);
}

TEST_F(ClientCertificateCredentialTest, TheChainGoesInX5cWhenAsked) {
  auto const& pki = testing::rsa_certificate();
  auto const& issuer = testing::other_rsa_certificate();
  auto const path =
      m_dir.write("chain.pem", issuer.certificate_pem() + pki.certificate_pem() + pki.key_pem());
  auto const cred = credential(path, {}, true);
  respond_token();
  (void)cred.get_token(k_scope);
  auto const header = testing::decode_jwt(assertion()).header;
  ASSERT_TRUE(header.contains("x5c")) << header.dump();
  ASSERT_EQ(header["x5c"].size(), 2U);
  // Standard base64 of the DER, the certificate of the key first.
  auto const decoded = [](std::string const& text) {
    return http::base64_decode(text).value();
  };
  EXPECT_EQ(decoded(header["x5c"][0].get<std::string>()), pki.der());
  EXPECT_EQ(decoded(header["x5c"][1].get<std::string>()), issuer.der());
}

} // namespace client_certificate_credential_test
} // namespace wisetup::identity
