#pragma once

#include "integration/support/process.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wisetup::integration {

struct SimulatorOptions {
  /// The world to start with (default: sim/seed/default.json).
  std::optional<nlohmann::json> seed;
  /// How long a cluster update lasts; short, so tests stay fast.
  double cluster_update_seconds = 0.3;
  std::vector<std::string> extra_arguments;
};

/// Options that start from `seed`.
[[nodiscard]] inline SimulatorOptions seeded(nlohmann::json seed) {
  SimulatorOptions options;
  options.seed = std::move(seed);
  return options;
}

/// A wi-setup-sim process of the test's own, on a free port, stopped with the object.
class Simulator {
public:
  explicit Simulator(SimulatorOptions options = {});
  ~Simulator();
  Simulator(Simulator const&) = delete;
  Simulator& operator=(Simulator const&) = delete;

  [[nodiscard]] nlohmann::json state() const;
  [[nodiscard]] nlohmann::json requests() const;
  void clear_requests() const;
  void add_fault(nlohmann::json const& fault) const;
  /// A token from the simulator's Entra endpoint for the seed's principal `index` (client
  /// credentials with its secret), as `az account get-access-token` would print it.
  [[nodiscard]] std::string token_for(std::size_t principal_index, std::string const& scope) const;
  [[nodiscard]] nlohmann::json const& ready() const { return m_ready; }
  /// An ARM request (`path_and_query` under the main listener, api-version included) as the seed's
  /// principal `principal_index`, to change the world behind wi-setup's back as another client
  /// would. Throws unless the answer is 2xx; returns its body (null when empty). It is logged.
  nlohmann::json arm(std::string const& method,
                     std::string const& path_and_query,
                     nlohmann::json const& body = nullptr,
                     std::size_t principal_index = 0) const;
  /// A request to the Kubernetes API server of the cluster `cluster_id` (its ARM id), with the
  /// static token of its user kubeconfig (listClusterUserCredential as principal 0). Throws unless
  /// the answer is 2xx; returns its body. It is logged.
  nlohmann::json kubernetes(std::string const& cluster_id,
                            std::string const& method,
                            std::string const& path,
                            nlohmann::json const& body = nullptr,
                            std::string const& content_type = "application/json") const;
  /// A token signed by an issuer the simulator hosts ("cluster:<name>" or "github"), as a
  /// projected service account token or a CI job's OIDC token would be.
  [[nodiscard]] std::string external_token(std::string const& issuer,
                                           std::string const& subject,
                                           int lifetime_seconds = 3600) const;

  [[nodiscard]] std::string const& cloud_file() const { return m_cloud_file; }
  [[nodiscard]] std::string const& ca_bundle() const { return m_ca_bundle; }
  [[nodiscard]] std::string const& state_dir() const { return m_state_dir; }
  [[nodiscard]] nlohmann::json const& seed() const { return m_seed; }

  /// The shipped default world.
  [[nodiscard]] static nlohmann::json default_seed();

private:
  [[nodiscard]] nlohmann::json
  call(std::string const& method, std::string const& path, std::string const& body = {}) const;
  [[nodiscard]] nlohmann::json send(int port,
                                    std::string const& method,
                                    std::string const& path,
                                    std::string const& bearer,
                                    nlohmann::json const& body,
                                    std::string const& content_type) const;

  nlohmann::json m_seed;
  nlohmann::json m_ready;
  std::string m_state_dir;
  std::string m_cloud_file;
  std::string m_ca_bundle;
  int m_port = 0;
  int m_pid = -1;
};

} // namespace wisetup::integration
