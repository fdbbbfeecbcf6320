#pragma once

#include <string>

namespace wisetup::http {

/// How a transport verifies servers and presents itself. Verification is always on: these options
/// only add trust (a CA bundle) or a client identity, they never switch checking off.
struct TlsOptions {
  /// PEM of extra CAs to trust beside the system store (from --ca-bundle, SSL_CERT_FILE).
  std::string extra_ca_pem;
  /// When true only `extra_ca_pem` is trusted, not the system store (a kubeconfig's
  /// certificate-authority-data, as kubectl does).
  bool only_extra_ca = false;
  /// Client certificate and key in PEM, for mutual TLS (kubeconfig client-certificate-data).
  std::string client_certificate_pem;
  std::string client_key_pem;
};

} // namespace wisetup::http
