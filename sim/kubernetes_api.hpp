#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

namespace wisetup::sim {

/// Serves the Kubernetes API of the simulated clusters on the kube listener (reference section
/// 6). The credential picks the cluster: a client certificate issued by a cluster's client CA,
/// that cluster's static token, or (for Entra-integrated clusters) an Entra token for the AKS
/// server application. Anything else gets 401 Unauthorized.
void handle_kubernetes(SimulatorContext& context,
                       httplib::Request const& request,
                       httplib::Response& response);

} // namespace wisetup::sim
