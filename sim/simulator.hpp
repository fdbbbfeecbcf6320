#pragma once

#include "sim/options.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace wisetup::sim {

/// The whole simulator: an HTTPS listener for Entra, ARM, the OIDC issuers, the GitHub token
/// service and the control endpoints, a second one for the Kubernetes API, and a plain-HTTP one
/// for the managed identity endpoints (IMDS, App Service), all on 127.0.0.1. Tests run it
/// in-process; wi-setup-sim's main runs it until a signal arrives.
class Simulator {
public:
  explicit Simulator(Options options);
  ~Simulator();
  Simulator(Simulator const&) = delete;
  Simulator& operator=(Simulator const&) = delete;

  /// Generates the certificates, binds the three listeners, loads the seed, writes ca.pem and
  /// cloud.json and last, atomically, ready.json into the state directory, then serves on
  /// background threads. Throws std::runtime_error naming what failed (port in use, unreadable
  /// or invalid seed, unwritable state directory); nothing is left running then.
  void start();

  /// Stops the listeners and waits for their threads. Safe to call twice.
  void stop();

  /// The port of Entra, ARM and the control endpoints; valid after start().
  [[nodiscard]] int port() const;
  /// The port of the Kubernetes API listener; valid after start().
  [[nodiscard]] int kube_port() const;
  /// The port of the plain-HTTP managed identity listener; valid after start().
  [[nodiscard]] int imds_port() const;
  /// The bearer GET /github/token wants (ACTIONS_ID_TOKEN_REQUEST_TOKEN); valid after start().
  [[nodiscard]] std::string github_request_token() const;
  /// The X-IDENTITY-HEADER value /msi/token wants (IDENTITY_HEADER); valid after start().
  [[nodiscard]] std::string identity_header() const;
  /// https://127.0.0.1:PORT (no trailing slash).
  [[nodiscard]] std::string base_url() const;
  /// The CA bundle (PEM) clients must trust: {state_dir}/ca.pem.
  [[nodiscard]] std::filesystem::path ca_bundle_path() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace wisetup::sim
