#include "trust_store.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <dlfcn.h>

namespace wisetup::http {
namespace {

int certificates_in(X509_STORE* store) {
  STACK_OF(X509)* certificates = X509_STORE_get1_all_certs(store);
  int const count = sk_X509_num(certificates);
  sk_X509_pop_free(certificates, X509_free);
  return count;
}

/// A self-signed certificate, enough to be told apart from the system's.
X509* self_signed() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 7);
  X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name,
                             "CN",
                             MBSTRING_ASC,
                             reinterpret_cast<unsigned char const*>("trust store test"),
                             -1,
                             -1,
                             0);
  X509_set_issuer_name(certificate, name);
  X509_set_pubkey(certificate, key);
  X509_sign(certificate, key, EVP_sha256());
  EVP_PKEY_free(key);
  return certificate;
}

TEST(TrustStoreTest, TheDefaultPathsCallFromAnyLibraryGetsTheSharedStore) {
  // Resolved as libcpprest's call is: by the process's global symbol lookup.
  using SetDefaultPaths = int (*)(SSL_CTX*);
  auto const set_default_paths =
      reinterpret_cast<SetDefaultPaths>(dlsym(RTLD_DEFAULT, "SSL_CTX_set_default_verify_paths"));
  ASSERT_NE(set_default_paths, nullptr);
  SSL_CTX* first = SSL_CTX_new(TLS_client_method());
  SSL_CTX* second = SSL_CTX_new(TLS_client_method());
  EXPECT_EQ(set_default_paths(first), 1);
  EXPECT_EQ(set_default_paths(second), 1);
  EXPECT_EQ(SSL_CTX_get_cert_store(first), system_trust_store());
  EXPECT_EQ(SSL_CTX_get_cert_store(second), system_trust_store());
  SSL_CTX_free(first);
  SSL_CTX_free(second);
  // Freeing contexts leaves the shared store usable.
  EXPECT_GE(certificates_in(system_trust_store()), 0);
}

TEST(TrustStoreTest, ExtraCasGoInAStoreOfTheirOwn) {
  int const system = certificates_in(system_trust_store());
  X509* extra = self_signed();
  auto const beside = trust_store_with({extra}, false);
  auto const alone = trust_store_with({extra}, true);
  EXPECT_EQ(certificates_in(beside.get()), system + 1);
  EXPECT_EQ(certificates_in(alone.get()), 1);
  // The shared store is never added to.
  EXPECT_EQ(certificates_in(system_trust_store()), system);
  X509_free(extra);
}

} // namespace
} // namespace wisetup::http
