#pragma once

#include "sim/simulator_context.hpp"

#include <string>

namespace wisetup::sim {

/// Starts a long-running operation on the cluster stored under `cluster_key` and returns it.
/// The caller holds context.mutex.
ClusterOperation& start_cluster_operation(State& state,
                                          std::string const& cluster_key,
                                          std::string const& subscription_id,
                                          std::string const& location,
                                          Seconds duration);

/// Completes every operation whose time has come: the cluster's provisioningState becomes
/// Succeeded (or Failed, from a seeded error or an "operation" fault), its eTag changes, and an
/// enabled OIDC issuer gets its issuerURL. Called before every request is served; the caller
/// holds context.mutex.
void settle_cluster_operations(SimulatorContext& context);

/// A fresh issuer URL under this simulator: {base_url}/oidc/{tenant}/{guid}/ (trailing slash).
[[nodiscard]] std::string new_issuer_url(std::string const& base_url, std::string const& tenant_id);

} // namespace wisetup::sim
