#include "trust_store.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <memory>
#include <unistd.h>

namespace wisetup::http {
namespace {

struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

/// A self-signed certificate, in no system store.
X509Ptr self_signed() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509Ptr certificate{X509_new()};
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 7);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 3600);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name,
                             "CN",
                             MBSTRING_ASC,
                             reinterpret_cast<unsigned char const*>("trust store test"),
                             -1,
                             -1,
                             0);
  X509_set_issuer_name(certificate.get(), name);
  X509_set_pubkey(certificate.get(), key);
  X509_sign(certificate.get(), key, EVP_sha256());
  EVP_PKEY_free(key);
  return certificate;
}

/// The first certificate of OpenSSL's default CA file: a root the system trusts.
X509Ptr a_system_root() {
  std::FILE* file = std::fopen(X509_get_default_cert_file(), "r");
  if (file == nullptr) {
    return nullptr;
  }
  X509Ptr root{PEM_read_X509(file, nullptr, nullptr, nullptr)};
  std::fclose(file);
  return root;
}

bool verifies(X509_STORE* store, X509* certificate) {
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  X509_STORE_CTX_init(context, store, certificate, nullptr);
  bool const verified = X509_verify_cert(context) == 1;
  X509_STORE_CTX_free(context);
  return verified;
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
}

TEST(TrustStoreTest, TheSystemStoreTrustsTheSystemsRootsAndNothingElse) {
  auto const root = a_system_root();
  ASSERT_NE(root, nullptr) << "no CA file at " << X509_get_default_cert_file();
  EXPECT_TRUE(verifies(system_trust_store(), root.get()));
  EXPECT_FALSE(verifies(system_trust_store(), self_signed().get()));
}

TEST(TrustStoreTest, ExtraCasAreTrustedBesideTheSystemsOrAlone) {
  auto const extra = self_signed();
  auto const root = a_system_root();
  ASSERT_NE(root, nullptr);
  auto const beside = trust_store_with({extra.get()}, false);
  auto const alone = trust_store_with({extra.get()}, true);
  EXPECT_TRUE(verifies(beside.get(), extra.get()));
  EXPECT_TRUE(verifies(beside.get(), root.get()));
  EXPECT_TRUE(verifies(alone.get(), extra.get()));
  EXPECT_FALSE(verifies(alone.get(), root.get()));
  // The shared store is never given the extra CA.
  EXPECT_FALSE(verifies(system_trust_store(), extra.get()));
}

TEST(TrustStoreTest, ARootMissingFromTheCaDirectoryIsFoundInTheCaFile) {
  auto const root = a_system_root();
  ASSERT_NE(root, nullptr);
  char directory[] = "/tmp/wisetup-empty-ca-dir-XXXXXX";
  ASSERT_NE(mkdtemp(directory), nullptr);
  // Read when the directory lookup is added: this store's directory holds nothing.
  ASSERT_EQ(setenv("SSL_CERT_DIR", directory, 1), 0);
  auto const store = trust_store_with({}, false);
  unsetenv("SSL_CERT_DIR");
  EXPECT_TRUE(verifies(store.get(), root.get()));
  rmdir(directory);
}

} // namespace
} // namespace wisetup::http
