#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace wisetup::sim {

/// The api-versions ARM accepts per resource family, e.g. "Microsoft.ContainerService/
/// managedClusters" -> {"2023-02-01", ...}. A seed's "apiVersions" replaces single families (to
/// imitate a sovereign cloud that lags behind).
[[nodiscard]] std::map<std::string, std::vector<std::string>> default_api_versions();

/// The first stable managedClusters api-version whose schema has
/// properties.securityProfile.workloadIdentity (reference section 2.0).
inline constexpr char const* k_cluster_workload_identity_version = "2023-02-01";

/// True when the managedClusters api-version `api_version` can express
/// securityProfile.workloadIdentity.
[[nodiscard]] bool cluster_version_has_workload_identity(std::string const& api_version);

/// The stored cluster as ARM answers it at `api_version`: what that version's schema has no
/// field for is left out (securityProfile.workloadIdentity before 2023-02-01).
[[nodiscard]] nlohmann::json cluster_at_version(nlohmann::json cluster,
                                                std::string const& api_version);

/// For a PUT at `api_version`: sets in `properties` (built from the body) the stored values of the
/// fields that version cannot express, so that such a PUT neither sets nor clears them, as ARM
/// does with properties a client's version does not know.
void keep_fields_of_newer_versions(nlohmann::json& properties,
                                   nlohmann::json const& stored_properties,
                                   std::string const& api_version);

} // namespace wisetup::sim
