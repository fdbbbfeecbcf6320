#include "sim/certificates.hpp"

#include "sim/encoding.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <array>
#include <stdexcept>

namespace wisetup::sim {
namespace {

constexpr long k_one_hour = 3600;
constexpr long k_one_year = 365L * 24 * 3600;

[[noreturn]] void fail(std::string const& step) {
  unsigned long const code = ERR_get_error();
  std::string detail;
  if (code != 0) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    detail = std::string(": ") + text.data();
  }
  ERR_clear_error();
  throw std::runtime_error("certificate generation failed at " + step + detail);
}

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct BignumFree {
  void operator()(BIGNUM* number) const { BN_free(number); }
};
struct MdContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct ExtensionFree {
  void operator()(X509_EXTENSION* extension) const { X509_EXTENSION_free(extension); }
};

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long const length = BIO_get_mem_data(bio, &data);
  return length > 0 && data != nullptr ? std::string(data, static_cast<std::size_t>(length))
                                       : std::string{};
}

KeyPtr generate_ec_key() {
  KeyPtr key{EVP_EC_gen("P-256")};
  if (!key) {
    fail("EC P-256 key generation");
  }
  return key;
}

void add_name_entry(X509_NAME* name, char const* field, std::string const& value) {
  if (X509_NAME_add_entry_by_txt(name,
                                 field,
                                 MBSTRING_UTF8,
                                 reinterpret_cast<unsigned char const*>(value.c_str()),
                                 -1,
                                 -1,
                                 0) != 1) {
    fail(std::string("subject field ") + field);
  }
}

void add_extension(X509* certificate, X509* issuer, int nid, std::string const& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtensionFree> extension{
      X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str())};
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    fail(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
  }
}

// A certificate with a random positive 128-bit serial, the validity window and the subject set;
// the caller adds extensions and signs.
CertificatePtr new_certificate(EVP_PKEY* subject_key,
                               std::string const& common_name,
                               std::string const& organization) {
  CertificatePtr certificate{X509_new()};
  if (!certificate || X509_set_version(certificate.get(), 2) != 1) {
    fail("X509_new");
  }
  std::unique_ptr<BIGNUM, BignumFree> serial{BN_new()};
  if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())) == nullptr) {
    fail("serial number");
  }
  if (X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -k_one_hour) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(certificate.get()), k_one_year) == nullptr) {
    fail("validity period");
  }
  if (X509_set_pubkey(certificate.get(), subject_key) != 1) {
    fail("public key");
  }
  X509_NAME* subject = X509_get_subject_name(certificate.get());
  if (!organization.empty()) {
    add_name_entry(subject, "O", organization);
  }
  add_name_entry(subject, "CN", common_name);
  return certificate;
}

void sign(X509* certificate, EVP_PKEY* issuer_key) {
  if (X509_sign(certificate, issuer_key, EVP_sha256()) <= 0) {
    fail("signing");
  }
}

} // namespace

void OpenSslFree::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}
void OpenSslFree::operator()(X509* certificate) const {
  X509_free(certificate);
}
void OpenSslFree::operator()(X509_STORE* store) const {
  X509_STORE_free(store);
}

IssuedCertificate::IssuedCertificate(KeyPtr key, CertificatePtr certificate)
    : m_key(std::move(key)), m_certificate(std::move(certificate)) {}

std::string IssuedCertificate::certificate_pem() const {
  std::unique_ptr<BIO, BioFree> bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_X509(bio.get(), m_certificate.get()) != 1) {
    fail("PEM encoding of a certificate");
  }
  return bio_text(bio.get());
}

std::string IssuedCertificate::private_key_pem() const {
  std::unique_ptr<BIO, BioFree> bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_PrivateKey(
                  bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    fail("PEM encoding of a private key");
  }
  return bio_text(bio.get());
}

CertificateAuthority::CertificateAuthority(std::string const& common_name)
    : m_key(generate_ec_key()), m_certificate(new_certificate(m_key.get(), common_name, "")) {
  X509* certificate = m_certificate.get();
  X509_set_issuer_name(certificate, X509_get_subject_name(certificate));
  add_extension(certificate, certificate, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(
      certificate, certificate, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
  add_extension(certificate, certificate, NID_subject_key_identifier, "hash");
  add_extension(certificate, certificate, NID_authority_key_identifier, "keyid:always");
  sign(certificate, m_key.get());

  m_store.reset(X509_STORE_new());
  if (!m_store || X509_STORE_add_cert(m_store.get(), certificate) != 1) {
    fail("trust store");
  }
}

IssuedCertificate
CertificateAuthority::issue_server_certificate(std::string const& common_name,
                                               std::vector<std::string> const& dns_names,
                                               std::vector<std::string> const& ip_addresses) const {
  KeyPtr key = generate_ec_key();
  CertificatePtr certificate = new_certificate(key.get(), common_name, "");
  X509_set_issuer_name(certificate.get(), X509_get_subject_name(m_certificate.get()));
  std::string alt_names;
  for (auto const& name : dns_names) {
    alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + name;
  }
  for (auto const& address : ip_addresses) {
    alt_names += (alt_names.empty() ? "IP:" : ",IP:") + address;
  }
  add_extension(certificate.get(), m_certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(certificate.get(), m_certificate.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(certificate.get(), m_certificate.get(), NID_ext_key_usage, "serverAuth");
  add_extension(certificate.get(), m_certificate.get(), NID_subject_key_identifier, "hash");
  add_extension(
      certificate.get(), m_certificate.get(), NID_authority_key_identifier, "keyid:always");
  if (!alt_names.empty()) {
    add_extension(certificate.get(), m_certificate.get(), NID_subject_alt_name, alt_names);
  }
  sign(certificate.get(), m_key.get());
  return IssuedCertificate{std::move(key), std::move(certificate)};
}

IssuedCertificate
CertificateAuthority::issue_client_certificate(std::string const& common_name,
                                               std::string const& organization) const {
  KeyPtr key = generate_ec_key();
  CertificatePtr certificate = new_certificate(key.get(), common_name, organization);
  X509_set_issuer_name(certificate.get(), X509_get_subject_name(m_certificate.get()));
  add_extension(certificate.get(), m_certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(certificate.get(), m_certificate.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(certificate.get(), m_certificate.get(), NID_ext_key_usage, "clientAuth");
  add_extension(
      certificate.get(), m_certificate.get(), NID_authority_key_identifier, "keyid:always");
  sign(certificate.get(), m_key.get());
  return IssuedCertificate{std::move(key), std::move(certificate)};
}

std::string CertificateAuthority::certificate_pem() const {
  std::unique_ptr<BIO, BioFree> bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_X509(bio.get(), m_certificate.get()) != 1) {
    fail("PEM encoding of the CA certificate");
  }
  return bio_text(bio.get());
}

bool CertificateAuthority::has_issued(X509* certificate) const {
  if (certificate == nullptr) {
    return false;
  }
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  if (context == nullptr) {
    return false;
  }
  bool valid = false;
  if (X509_STORE_CTX_init(context, m_store.get(), certificate, nullptr) == 1) {
    valid = X509_verify_cert(context) == 1;
  }
  X509_STORE_CTX_free(context);
  ERR_clear_error();
  return valid;
}

RsaSigningKey::RsaSigningKey() : m_key(EVP_RSA_gen(2048)) {
  if (!m_key) {
    fail("RSA-2048 key generation");
  }
  unsigned char* der = nullptr;
  int const der_length = i2d_PUBKEY(m_key.get(), &der);
  if (der_length <= 0) {
    fail("DER encoding of the RSA public key");
  }
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(
      der, static_cast<std::size_t>(der_length), reinterpret_cast<unsigned char*>(digest.data()));
  OPENSSL_free(der);
  m_key_id = base64url_encode(digest);
}

nlohmann::json RsaSigningKey::public_jwk() const {
  auto big_endian = [this](char const* parameter) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(m_key.get(), parameter, &raw) != 1) {
      fail(std::string("RSA parameter ") + parameter);
    }
    std::unique_ptr<BIGNUM, BignumFree> number{raw};
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(number.get())), '\0');
    BN_bn2bin(number.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    return bytes;
  };
  return {{"use", "sig"},
          {"kty", "RSA"},
          {"kid", m_key_id},
          {"alg", "RS256"},
          {"n", base64url_encode(big_endian(OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url_encode(big_endian(OSSL_PKEY_PARAM_RSA_E))}};
}

std::string RsaSigningKey::sign_rs256(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, MdContextFree> context{EVP_MD_CTX_new()};
  std::size_t length = 0;
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, m_key.get()) != 1 ||
      EVP_DigestSign(context.get(),
                     nullptr,
                     &length,
                     reinterpret_cast<unsigned char const*>(data.data()),
                     data.size()) != 1) {
    fail("RS256 signing");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(),
                     reinterpret_cast<unsigned char*>(signature.data()),
                     &length,
                     reinterpret_cast<unsigned char const*>(data.data()),
                     data.size()) != 1) {
    fail("RS256 signing");
  }
  signature.resize(length);
  return signature;
}

PublicCertificate::PublicCertificate(std::string const& pem) : m_pem(pem) {
  std::unique_ptr<BIO, BioFree> bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  if (bio) {
    m_certificate.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  }
  ERR_clear_error();
  if (!m_certificate) {
    throw std::invalid_argument("is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  if (EVP_PKEY_get_base_id(X509_get0_pubkey(m_certificate.get())) != EVP_PKEY_RSA) {
    throw std::invalid_argument("does not hold an RSA public key; client assertions are signed "
                                "RS256 or PS256");
  }
  unsigned char* der = nullptr;
  int const der_length = i2d_X509(m_certificate.get(), &der);
  if (der_length <= 0) {
    fail("DER encoding of a certificate");
  }
  std::string sha1(SHA_DIGEST_LENGTH, '\0');
  std::string sha256(SHA256_DIGEST_LENGTH, '\0');
  SHA1(der, static_cast<std::size_t>(der_length), reinterpret_cast<unsigned char*>(sha1.data()));
  SHA256(
      der, static_cast<std::size_t>(der_length), reinterpret_cast<unsigned char*>(sha256.data()));
  OPENSSL_free(der);
  m_x5t = base64url_encode(sha1);
  m_x5t_s256 = base64url_encode(sha256);
  static constexpr std::string_view k_hex = "0123456789ABCDEF";
  for (char const byte : sha1) {
    auto const u = static_cast<unsigned char>(byte);
    m_thumbprint.push_back(k_hex[u >> 4u]);
    m_thumbprint.push_back(k_hex[u & 0x0Fu]);
  }
}

bool PublicCertificate::expired() const {
  return X509_cmp_current_time(X509_get0_notAfter(m_certificate.get())) < 0;
}

EVP_PKEY* PublicCertificate::public_key() const {
  return X509_get0_pubkey(m_certificate.get());
}

bool verify_jws_signature(EVP_PKEY* key,
                          std::string const& algorithm,
                          std::string_view signing_input,
                          std::string_view signature) {
  bool const pss = algorithm == "PS256";
  if ((algorithm != "RS256" && !pss) || key == nullptr ||
      EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, MdContextFree> context{EVP_MD_CTX_new()};
  EVP_PKEY_CTX* key_context = nullptr;
  bool valid =
      context &&
      EVP_DigestVerifyInit(context.get(), &key_context, EVP_sha256(), nullptr, key) == 1 &&
      (!pss || (EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) == 1 &&
                EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) == 1)) &&
      EVP_DigestVerify(context.get(),
                       reinterpret_cast<unsigned char const*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<unsigned char const*>(signing_input.data()),
                       signing_input.size()) == 1;
  ERR_clear_error();
  return valid;
}

} // namespace wisetup::sim
