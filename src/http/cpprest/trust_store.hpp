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

/// A new store of the system's trusted CAs as OpenSSL finds them by default (its CA file, then its
/// hashed CA directory; or SSL_CERT_FILE and SSL_CERT_DIR), looked up when a chain needs one. The
/// file is parsed once per process, on first use, whichever store needs it.
[[nodiscard]] X509StorePtr system_trust_store();

/// A new store that trusts `extra` and, unless `only_extra`, the system's CAs too.
[[nodiscard]] X509StorePtr trust_store_with(std::vector<X509*> const& extra, bool only_extra);

} // namespace wisetup::http
