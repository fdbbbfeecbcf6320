// The system's CAs, parsed once. cpprestsdk gives every new connection an SSL context of its own
// and calls SSL_CTX_set_default_verify_paths on it, which parses the whole system bundle again
// (about 140 certificates: 25 to 50 ms of CPU and half a megabyte per connection). Defining that
// function in the program interposes it, as ELF does for any symbol the executable defines: the
// call from libcpprest resolves here. It gives the context a store of its own whose lookups find
// what OpenSSL's default would, in the same order: the CA file (parsed once per process, on
// first use) and then the hashed CA directory.
#include "trust_store.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <new>
#include <stdlib.h> // secure_getenv

namespace wisetup::http {
namespace {

/// Every certificate of OpenSSL's default CA file (SSL_CERT_FILE when set), parsed once.
STACK_OF(X509) * default_file_certificates() {
  static STACK_OF(X509)* const certificates = [] {
    STACK_OF(X509)* all = sk_X509_new_null();
    // As OpenSSL reads it: ignored when the program runs set-uid.
    char const* path = secure_getenv(X509_get_default_cert_file_env());
    if (path == nullptr) {
      path = X509_get_default_cert_file();
    }
    if (BIO* file = BIO_new_file(path, "r"); file != nullptr && all != nullptr) {
      STACK_OF(X509_INFO)* infos = PEM_X509_INFO_read_bio(file, nullptr, nullptr, nullptr);
      for (int i = 0; infos != nullptr && i < sk_X509_INFO_num(infos); ++i) {
        X509* certificate = sk_X509_INFO_value(infos, i)->x509;
        if (certificate != nullptr && X509_up_ref(certificate) == 1 &&
            sk_X509_push(all, certificate) <= 0) {
          X509_free(certificate);
        }
      }
      sk_X509_INFO_pop_free(infos, X509_INFO_free);
      BIO_free(file);
    }
    // A missing or unreadable file is not an error here: a chain that needed it fails, saying so.
    ERR_clear_error();
    return all;
  }();
  return certificates;
}

/// A lookup over the default CA file: adds every certificate named `subject` to the store and
/// returns one of them, borrowed (the caller takes its own reference, as with OpenSSL's lookups;
/// the certificates live as long as the process).
int find_in_default_file(X509_LOOKUP* lookup,
                         X509_LOOKUP_TYPE type,
                         X509_NAME const* subject,
                         X509_OBJECT* found) {
  STACK_OF(X509)* all = type == X509_LU_X509 ? default_file_certificates() : nullptr;
  int matches = 0;
  for (int i = 0; all != nullptr && i < sk_X509_num(all); ++i) {
    X509* certificate = sk_X509_value(all, i);
    if (X509_NAME_cmp(X509_get_subject_name(certificate), subject) == 0) {
      (void)X509_STORE_add_cert(X509_LOOKUP_get_store(lookup), certificate);
      if (matches++ == 0 && X509_OBJECT_set1_X509(found, certificate) == 1) {
        X509_free(certificate); // set1 took a reference: give it back, as a borrower
      }
    }
  }
  ERR_clear_error();
  return matches > 0 ? 1 : 0;
}

X509_LOOKUP_METHOD* default_file_lookup() {
  static X509_LOOKUP_METHOD* const method = [] {
    X509_LOOKUP_METHOD* created = X509_LOOKUP_meth_new("default CA file, parsed on first use");
    if (created == nullptr) {
      throw std::bad_alloc();
    }
    X509_LOOKUP_meth_set_get_by_subject(created, find_in_default_file);
    return created;
  }();
  return method;
}

/// What OpenSSL's default paths add to a store, in its order, looked up only when needed.
void add_system_lookups(X509_STORE* store) {
  (void)X509_STORE_add_lookup(store, default_file_lookup());
  if (X509_LOOKUP* directory = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir())) {
    (void)X509_LOOKUP_add_dir(directory, nullptr, X509_FILETYPE_DEFAULT); // or SSL_CERT_DIR
  }
  ERR_clear_error();
}

X509StorePtr new_store() {
  X509StorePtr store{X509_STORE_new()};
  if (!store) {
    throw std::bad_alloc();
  }
  return store;
}

} // namespace

X509StorePtr system_trust_store() {
  auto store = new_store();
  add_system_lookups(store.get());
  return store;
}

X509StorePtr trust_store_with(std::vector<X509*> const& extra, bool only_extra) {
  auto store = new_store();
  for (X509* certificate : extra) {
    // Fails only for a certificate already in the store, which is harmless.
    (void)X509_STORE_add_cert(store.get(), certificate);
  }
  if (!only_extra) {
    add_system_lookups(store.get());
  }
  ERR_clear_error();
  return store;
}

} // namespace wisetup::http

/// OpenSSL's function of this name, with the same effect (the context trusts the default CA file
/// and directory), minus parsing the file again: a store of the context's own (whatever is later
/// added to it stays with this context), over the file parsed once.
extern "C" __attribute__((visibility("default"))) int
SSL_CTX_set_default_verify_paths(SSL_CTX* context) {
  try {
    SSL_CTX_set_cert_store(context, wisetup::http::system_trust_store().release()); // owns it
    return 1;
  } catch (...) {
    return 0;
  }
}
