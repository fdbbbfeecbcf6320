#pragma once

#include <openssl/x509_vfy.h>

#include <memory>
#include <string>
#include <vector>

namespace wisetup::http {

struct X509StoreFree {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
using X509StorePtr = std::unique_ptr<X509_STORE, X509StoreFree>;

/// The system's trusted CAs as OpenSSL finds them by default (its hashed CA directory and CA file,
/// or SSL_CERT_DIR and SSL_CERT_FILE), looked up when a chain needs one, shared by every TLS
/// connection of the process. Never add another CA to it: build a store with trust_store_with().
[[nodiscard]] X509_STORE* system_trust_store();

/// A new store that trusts `extra` and, unless `only_extra`, the system's CAs too.
[[nodiscard]] X509StorePtr trust_store_with(std::vector<X509*> const& extra, bool only_extra);

} // namespace wisetup::http
