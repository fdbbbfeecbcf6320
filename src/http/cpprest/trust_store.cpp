// The system's CAs, parsed once. cpprestsdk gives every new connection an SSL context of its own
// and calls SSL_CTX_set_default_verify_paths on it, which parses the whole system bundle again
// (about 140 certificates: 25 to 50 ms of CPU and half a megabyte per connection here). Defining
// that function in the program interposes it, as ELF does for any symbol the executable defines:
// the call from libcpprest resolves here, and gives the context the shared store instead.
#include "trust_store.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <new>

namespace wisetup::http {

X509_STORE* system_trust_store() {
  // Built on first use and kept for the life of the process (connections may outlive main).
  static X509_STORE* const store = [] {
    X509_STORE* created = X509_STORE_new();
    if (created == nullptr) {
      throw std::bad_alloc();
    }
    // A missing bundle or directory is not an error here: verification then fails, naming why.
    (void)X509_STORE_set_default_paths(created);
    ERR_clear_error();
    return created;
  }();
  return store;
}

X509StorePtr trust_store_with(std::vector<X509*> const& extra, bool only_extra) {
  X509StorePtr store{X509_STORE_new()};
  if (!store) {
    throw std::bad_alloc();
  }
  if (!only_extra) {
    STACK_OF(X509)* system = X509_STORE_get1_all_certs(system_trust_store());
    for (int i = 0; system != nullptr && i < sk_X509_num(system); ++i) {
      (void)X509_STORE_add_cert(store.get(), sk_X509_value(system, i));
    }
    sk_X509_pop_free(system, X509_free);
    // The hashed directory is looked up lazily, by subject, as OpenSSL's default does.
    if (X509_LOOKUP* directory = X509_STORE_add_lookup(store.get(), X509_LOOKUP_hash_dir())) {
      (void)X509_LOOKUP_add_dir(directory, nullptr, X509_FILETYPE_DEFAULT);
    }
  }
  for (X509* certificate : extra) {
    // Fails only for a certificate already in the store, which is harmless.
    (void)X509_STORE_add_cert(store.get(), certificate);
  }
  ERR_clear_error();
  return store;
}

} // namespace wisetup::http

/// OpenSSL's function of this name, with the same effect (the context trusts the default CA file
/// and directory), minus the parsing: it shares the store parsed once.
extern "C" __attribute__((visibility("default"))) int
SSL_CTX_set_default_verify_paths(SSL_CTX* context) {
  try {
    SSL_CTX_set1_cert_store(context, wisetup::http::system_trust_store());
    return 1;
  } catch (...) {
    return 0;
  }
}
