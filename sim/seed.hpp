#pragma once

#include "sim/options.hpp"
#include "sim/state.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace wisetup::sim {

/// A seed document that cannot be loaded; the message names the field and what is wrong.
class SeedError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Builds the state a seed document describes (format in docs/simulator.md). `base_url` is used
/// for issuer URLs of clusters seeded with the OIDC issuer on; `default_busy` is the length of
/// the operation of a cluster seeded in a non-terminal provisioningState without
/// "sim:busySeconds". Throws SeedError.
[[nodiscard]] State
state_from_seed(nlohmann::json const& seed, std::string const& base_url, Seconds default_busy);

/// The state as GET /_sim/state shows it: the seed format with resources, role assignments and
/// Kubernetes objects keyed by id, plus "operations". Client secrets and Kubernetes credentials
/// are left out.
[[nodiscard]] nlohmann::json state_to_json(State const& state);

} // namespace wisetup::sim
