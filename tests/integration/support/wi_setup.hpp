#pragma once

#include "integration/support/process.hpp"
#include "integration/support/simulator.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wisetup::integration {

/// The tutorial's inputs, as environment variables, signed in as the seed's first principal.
[[nodiscard]] std::map<std::string, std::string> tutorial_environment(Simulator const& simulator);

/// Runs `wi-setup enable` against the simulator (its cloud file and CA bundle) with `arguments`
/// after the connection flags, in `environment`.
[[nodiscard]] ProcessResult run_enable(Simulator const& simulator,
                                       std::vector<std::string> const& arguments,
                                       std::map<std::string, std::string> const& environment);

/// Runs `wi-setup <arguments[0]>` (plan, enable, verify, disable) against the simulator: the
/// connection flags go right after the subcommand, then the rest of `arguments`.
[[nodiscard]] ProcessResult run_wi_setup(Simulator const& simulator,
                                         std::vector<std::string> const& arguments,
                                         std::map<std::string, std::string> const& environment);

/// The same, started in the background (to be signalled or killed).
[[nodiscard]] std::unique_ptr<BackgroundProcess>
start_wi_setup(Simulator const& simulator,
               std::vector<std::string> const& arguments,
               std::map<std::string, std::string> const& environment);

/// The resource of the simulator's state whose id ends with `suffix` (case-insensitive).
[[nodiscard]] std::optional<nlohmann::json> find_resource(nlohmann::json const& state,
                                                          std::string const& suffix);

/// Every resource whose id contains `part` (case-insensitive).
[[nodiscard]] std::vector<nlohmann::json> resources_containing(nlohmann::json const& state,
                                                               std::string const& part);

/// The Kubernetes objects of the (only) seeded cluster: "namespaces" and "serviceAccounts".
[[nodiscard]] nlohmann::json const& kubernetes_of(nlohmann::json const& state);

/// The requests of the log that changed something.
[[nodiscard]] std::vector<nlohmann::json> writes(nlohmann::json const& request_log);

} // namespace wisetup::integration
