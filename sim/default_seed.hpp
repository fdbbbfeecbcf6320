#pragma once

#include <string_view>

namespace wisetup::sim {

/// The seed compiled in from sim/seed/default.json: the tutorial's world (docs/simulator.md).
[[nodiscard]] std::string_view default_seed();

} // namespace wisetup::sim
