#pragma once

#include <map>
#include <string>
#include <vector>

namespace wisetup::sim {

/// The api-versions ARM accepts per resource family, e.g. "Microsoft.ContainerService/
/// managedClusters" -> {"2023-02-01", ...}. A seed's "apiVersions" replaces single families (to
/// imitate a sovereign cloud that lags behind).
[[nodiscard]] std::map<std::string, std::vector<std::string>> default_api_versions();

} // namespace wisetup::sim
