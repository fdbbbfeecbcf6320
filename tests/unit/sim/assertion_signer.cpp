#include "assertion_signer.hpp"

#include "sim/encoding.hpp"

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wisetup::sim::testing {
namespace {

std::string digest_of(X509* certificate, EVP_MD const* algorithm) {
  unsigned char* der = nullptr;
  int const length = i2d_X509(certificate, &der);
  std::string digest(EVP_MAX_MD_SIZE, '\0');
  unsigned size = 0;
  EVP_Digest(der,
             static_cast<std::size_t>(length),
             reinterpret_cast<unsigned char*>(digest.data()),
             &size,
             algorithm,
             nullptr);
  OPENSSL_free(der);
  digest.resize(size);
  return digest;
}

} // namespace

AssertionSigner AssertionSigner::from_pem_file(std::filesystem::path const& path) {
  std::ifstream file{path};
  std::ostringstream text;
  text << file.rdbuf();
  std::string const content = text.str();
  AssertionSigner signer;
  BIO* bio = BIO_new_mem_buf(content.data(), static_cast<int>(content.size()));
  signer.m_key.reset(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr), EVP_PKEY_free);
  BIO_free(bio);
  bio = BIO_new_mem_buf(content.data(), static_cast<int>(content.size()));
  signer.m_certificate.reset(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr), X509_free);
  BIO_free(bio);
  if (!signer.m_key || !signer.m_certificate) {
    throw std::runtime_error("cannot read a key and a certificate from " + path.string());
  }
  return signer;
}

AssertionSigner AssertionSigner::generate() {
  AssertionSigner signer;
  signer.m_key.reset(EVP_RSA_gen(2048), EVP_PKEY_free);
  signer.m_certificate.reset(X509_new(), X509_free);
  X509* certificate = signer.m_certificate.get();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 7);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 86400);
  X509_set_pubkey(certificate, signer.m_key.get());
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC, reinterpret_cast<unsigned char const*>("stranger"), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  X509_sign(certificate, signer.m_key.get(), EVP_sha256());
  return signer;
}

std::string AssertionSigner::certificate_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, m_certificate.get());
  char* data = nullptr;
  long const length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return pem;
}

std::string AssertionSigner::x5t() const {
  return base64url_encode(digest_of(m_certificate.get(), EVP_sha1()));
}

std::string AssertionSigner::x5t_s256() const {
  return base64url_encode(digest_of(m_certificate.get(), EVP_sha256()));
}

std::string AssertionSigner::sign(nlohmann::json header,
                                  nlohmann::json const& claims,
                                  std::string const& algorithm) const {
  header["alg"] = algorithm;
  std::string const input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_PKEY_CTX* key_context = nullptr;
  EVP_DigestSignInit(context, &key_context, EVP_sha256(), nullptr, m_key.get());
  if (algorithm == "PS256") {
    EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t length = 0;
  EVP_DigestSign(context,
                 nullptr,
                 &length,
                 reinterpret_cast<unsigned char const*>(input.data()),
                 input.size());
  std::string signature(length, '\0');
  EVP_DigestSign(context,
                 reinterpret_cast<unsigned char*>(signature.data()),
                 &length,
                 reinterpret_cast<unsigned char const*>(input.data()),
                 input.size());
  EVP_MD_CTX_free(context);
  signature.resize(length);
  return input + "." + base64url_encode(signature);
}

} // namespace wisetup::sim::testing
