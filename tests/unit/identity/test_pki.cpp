#include "test_pki.hpp"

#include <wisetup/http/base64.hpp>
#include <wisetup/http/guid.hpp>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <fstream>
#include <stdexcept>
#include <vector>

namespace wisetup::testing {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

std::string drain(BIO* bio) {
  char* data = nullptr;
  auto const size = BIO_get_mem_data(bio, &data);
  return {data, static_cast<std::size_t>(size)};
}

TestCertificate make_certificate(EVP_PKEY* raw_key, char const* common_name) {
  TestCertificate made;
  made.key.reset(raw_key);
  if (!made.key) {
    throw std::runtime_error("key generation failed");
  }
  made.certificate.reset(X509_new());
  auto* certificate = made.certificate.get();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 42);
  X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 60L * 60 * 24 * 365);
  X509_set_pubkey(certificate, made.key.get());
  auto* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC, reinterpret_cast<unsigned char const*>(common_name), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  if (X509_sign(certificate, made.key.get(), EVP_sha256()) == 0) {
    throw std::runtime_error("certificate signing failed");
  }
  return made;
}

std::string digest(std::string_view bytes, EVP_MD const* type) {
  std::vector<unsigned char> out(EVP_MAX_MD_SIZE);
  unsigned size = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, type, nullptr);
  return {reinterpret_cast<char const*>(out.data()), size};
}

} // namespace

std::string TestCertificate::certificate_pem() const {
  std::unique_ptr<BIO, BioFree> const bio{BIO_new(BIO_s_mem())};
  PEM_write_bio_X509(bio.get(), certificate.get());
  return drain(bio.get());
}

std::string TestCertificate::key_pem(std::string const& password, bool traditional) const {
  std::unique_ptr<BIO, BioFree> const bio{BIO_new(BIO_s_mem())};
  auto const* cipher = password.empty() ? nullptr : EVP_aes_256_cbc();
  auto* pass = password.empty()
                   ? nullptr
                   : reinterpret_cast<unsigned char*>(const_cast<char*>(password.data()));
  int written = 0;
  if (traditional) {
    written = PEM_write_bio_PrivateKey_traditional(
        bio.get(), key.get(), cipher, pass, static_cast<int>(password.size()), nullptr, nullptr);
  } else if (cipher != nullptr) {
    written = PEM_write_bio_PKCS8PrivateKey(bio.get(),
                                            key.get(),
                                            cipher,
                                            const_cast<char*>(password.data()),
                                            static_cast<int>(password.size()),
                                            nullptr,
                                            nullptr);
  } else {
    written = PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  }
  if (written != 1) {
    throw std::runtime_error("writing the key failed");
  }
  return drain(bio.get());
}

std::string TestCertificate::der() const {
  unsigned char* out = nullptr;
  auto const size = i2d_X509(certificate.get(), &out);
  std::string result(reinterpret_cast<char const*>(out), static_cast<std::size_t>(size));
  OPENSSL_free(out);
  return result;
}

TestCertificate const& rsa_certificate() {
  static TestCertificate const made = make_certificate(EVP_RSA_gen(2048), "wi-setup test");
  return made;
}

TestCertificate const& other_rsa_certificate() {
  static TestCertificate const made = make_certificate(EVP_RSA_gen(2048), "wi-setup other");
  return made;
}

TestCertificate const& ec_certificate() {
  static TestCertificate const made = make_certificate(EVP_EC_gen("P-256"), "wi-setup elliptic");
  return made;
}

TempDir::TempDir()
    : m_path(std::filesystem::temp_directory_path() / ("wisetup-test-" + http::random_guid())) {
  std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

std::string TempDir::write(std::string const& name, std::string_view content) const {
  auto const file = m_path / name;
  std::ofstream out{file, std::ios::binary | std::ios::trunc};
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return file.string();
}

std::string sha256(std::string_view bytes) {
  return digest(bytes, EVP_sha256());
}

std::string sha1(std::string_view bytes) {
  return digest(bytes, EVP_sha1());
}

/// One part of a JWT, decoded; throws when it is not base64url.
std::string base64url_part(std::string_view part) {
  auto decoded = http::base64url_decode(part);
  if (!decoded) {
    throw std::invalid_argument("not base64url: " + std::string(part));
  }
  return std::move(*decoded);
}

DecodedJwt decode_jwt(std::string_view jwt) {
  auto const first = jwt.find('.');
  auto const second = jwt.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos ||
      jwt.find('.', second + 1) != std::string_view::npos) {
    throw std::invalid_argument("not a compact JWS");
  }
  DecodedJwt decoded;
  decoded.header = nlohmann::json::parse(base64url_part(jwt.substr(0, first)));
  decoded.claims = nlohmann::json::parse(base64url_part(jwt.substr(first + 1, second - first - 1)));
  decoded.signing_input = std::string(jwt.substr(0, second));
  decoded.signature = base64url_part(jwt.substr(second + 1));
  return decoded;
}

bool verify_rs256(DecodedJwt const& jwt, X509* certificate) {
  std::unique_ptr<EVP_PKEY, PkeyFree> const key{X509_get_pubkey(certificate)};
  std::unique_ptr<EVP_MD_CTX, MdContextFree> const context{EVP_MD_CTX_new()};
  if (EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(context.get(),
                          reinterpret_cast<unsigned char const*>(jwt.signature.data()),
                          jwt.signature.size(),
                          reinterpret_cast<unsigned char const*>(jwt.signing_input.data()),
                          jwt.signing_input.size()) == 1;
}

} // namespace wisetup::testing
