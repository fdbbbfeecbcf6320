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

int certificates_in(X509_STORE* store) {
  STACK_OF(X509)* certificates = X509_STORE_get1_all_certs(store);
  int const count = sk_X509_num(certificates);
  sk_X509_pop_free(certificates, X509_free);
  return count;
}

TEST(TrustStoreTest, TheDefaultPathsCallFromAnyLibraryGetsAStoreOfItsOwnWithoutParsingTheFile) {
  // Resolved as libcpprest's call is: by the process's global symbol lookup.
  using SetDefaultPaths = int (*)(SSL_CTX*);
  auto const set_default_paths =
      reinterpret_cast<SetDefaultPaths>(dlsym(RTLD_DEFAULT, "SSL_CTX_set_default_verify_paths"));
  ASSERT_NE(set_default_paths, nullptr);
  SSL_CTX* first = SSL_CTX_new(TLS_client_method());
  SSL_CTX* second = SSL_CTX_new(TLS_client_method());
  ASSERT_EQ(set_default_paths(first), 1);
  ASSERT_EQ(set_default_paths(second), 1);
  X509_STORE* first_store = SSL_CTX_get_cert_store(first);
  X509_STORE* second_store = SSL_CTX_get_cert_store(second);
  EXPECT_NE(first_store, second_store);
  // OpenSSL's own function would have loaded the whole CA file into the store.
  EXPECT_EQ(certificates_in(first_store), 0);
  auto const root = a_system_root();
  ASSERT_NE(root, nullptr);
  EXPECT_TRUE(verifies(first_store, root.get()));
  // What one context is given stays with it.
  auto const extra = self_signed();
  ASSERT_EQ(X509_STORE_add_cert(first_store, extra.get()), 1);
  EXPECT_TRUE(verifies(first_store, extra.get()));
  EXPECT_FALSE(verifies(second_store, extra.get()));
  SSL_CTX_free(first);
  SSL_CTX_free(second);
}

TEST(TrustStoreTest, TheSystemStoreTrustsTheSystemsRootsAndNothingElse) {
  auto const root = a_system_root();
  ASSERT_NE(root, nullptr) << "no CA file at " << X509_get_default_cert_file();
  auto const store = system_trust_store();
  EXPECT_TRUE(verifies(store.get(), root.get()));
  EXPECT_FALSE(verifies(store.get(), self_signed().get()));
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
  EXPECT_FALSE(verifies(system_trust_store().get(), extra.get()));
}

TEST(TrustStoreTest, ARootIsFoundInTheCaFileWithoutTheDirectory) {
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
