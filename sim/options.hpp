#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wisetup::sim {

/// Seconds as a fraction, so that tests can ask for a 0.2 s cluster update.
using Seconds = std::chrono::duration<double>;

/// How a simulator runs; the command-line flags map one to one (docs/simulator.md).
struct Options {
  std::filesystem::path state_dir; ///< --state-dir: where ca.pem, cloud.json, ready.json go
  int port = 0;                    ///< --port: 0 = any free port
  std::optional<std::filesystem::path>
      seed;                               ///< --seed: JSON seed file; empty = compiled-in default
  Seconds cluster_update{5.0};            ///< --cluster-update-seconds: length of a cluster LRO
  std::chrono::milliseconds latency{0};   ///< --latency-ms: added to every answer
  Seconds token_lifetime{3600.0};         ///< --token-lifetime-seconds
  std::optional<int> retry_after_seconds; ///< --retry-after-seconds: Retry-After on LRO answers
  std::chrono::milliseconds fic_write_hold{50}; ///< --fic-write-hold-ms: FIC write duration
  int imds_port = 0;                            ///< --imds-port: managed identity listener
  Seconds device_code_lifetime{900.0};          ///< --device-code-expires-seconds
  Seconds device_code_interval{1.0};            ///< --device-code-interval-seconds
  /// --device-code-auto-approve-polls N: a device code sign-in is approved (as the first seeded
  /// user) once N polls were answered authorization_pending; none = wait for an approval.
  std::optional<int> device_code_auto_approve_polls;
  /// --kubeconfig-proxy-url URL: every kubeconfig handed out names this proxy-url (as a cluster
  /// reached through a corporate proxy would); empty = none.
  std::string kubeconfig_proxy_url;
};

/// The result of reading the command line: options to run with, or a request for help.
struct CommandLine {
  Options options;
  bool help = false;
};

/// Parses `wi-setup-sim` arguments (without argv[0]). Throws std::invalid_argument naming the
/// flag and the expected value when a flag is unknown, lacks its value or has a bad one.
[[nodiscard]] CommandLine parse_command_line(std::vector<std::string> const& arguments);

/// The --help text.
[[nodiscard]] std::string usage();

} // namespace wisetup::sim
