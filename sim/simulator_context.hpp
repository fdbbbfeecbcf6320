#pragma once

#include "sim/certificates.hpp"
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
/// `oidc_signing_key`; the other members are either fixed after start or guard themselves.
struct SimulatorContext {
  Options options;
  std::string base_url; ///< https://127.0.0.1:PORT, no trailing slash
  int port = 0;
  int kube_port = 0;
  std::shared_ptr<CertificateAuthority const> server_ca;

  std::mutex mutex;
  State state;
  std::set<std::string> fic_writes_in_flight;      ///< lower-case identity ids
  std::unique_ptr<RsaSigningKey> oidc_signing_key; ///< created on first use

  TokenRegistry tokens;
  FaultInjector faults;
  RequestLog requests;
};

} // namespace wisetup::sim
