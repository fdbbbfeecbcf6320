#pragma once

#include "sim/certificates.hpp"
#include "sim/device_code_store.hpp"
#include "sim/fault_injector.hpp"
#include "sim/options.hpp"
#include "sim/request_log.hpp"
#include "sim/state.hpp"
#include "sim/token_registry.hpp"

#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace wisetup::sim {

/// Everything the request handlers share. `mutex` guards `state`, `fic_writes_in_flight` and
/// the signing keys; the other members are either fixed after start or guard themselves.
struct SimulatorContext {
  Options options;
  std::string base_url; ///< https://127.0.0.1:PORT, no trailing slash
  int port = 0;
  int kube_port = 0;
  int imds_port = 0; ///< the plain-HTTP managed identity listener
  std::shared_ptr<CertificateAuthority const> server_ca;
  std::string github_request_token; ///< bearer for GET /github/token. Secret: ready.json only
  std::string identity_header;      ///< X-IDENTITY-HEADER of /msi/token. Secret: ready.json only

  std::mutex mutex;
  State state;
  std::set<std::string> fic_writes_in_flight;        ///< lower-case identity ids
  std::unique_ptr<RsaSigningKey> oidc_signing_key;   ///< every cluster issuer's; on first use
  std::unique_ptr<RsaSigningKey> github_signing_key; ///< the GitHub issuer's; on first use

  TokenRegistry tokens;
  DeviceCodeStore device_codes;
  FaultInjector faults;
  RequestLog requests;
};

} // namespace wisetup::sim
