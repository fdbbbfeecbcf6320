#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

namespace wisetup::sim {

/// Serves the unauthenticated control endpoints under /_sim/ (docs/simulator.md): the state, the
/// request log, faults and token expiry. Control requests are not logged.
void handle_control(SimulatorContext& context,
                    httplib::Request const& request,
                    httplib::Response& response);

} // namespace wisetup::sim
