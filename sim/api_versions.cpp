#include "sim/api_versions.hpp"

namespace wisetup::sim {

std::map<std::string, std::vector<std::string>> default_api_versions() {
  // Stable versions as published in azure-rest-api-specs (reference sections 2.0, 3, 4, 5).
  return {
      {"Microsoft.ContainerService/managedClusters",
       {"2022-11-01", "2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01", "2023-05-01",
        "2023-06-01", "2023-07-01", "2023-08-01", "2023-09-01", "2023-10-01", "2023-11-01",
        "2024-01-01", "2024-02-01", "2024-05-01", "2024-06-01", "2024-07-01", "2024-08-01",
        "2024-09-01", "2024-10-01", "2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01",
        "2025-05-01", "2025-06-01", "2025-07-01", "2025-08-01", "2025-09-01", "2025-10-01",
        "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01",
        "2026-07-01"}},
      {"Microsoft.ManagedIdentity/userAssignedIdentities",
       {"2018-11-30",
        "2021-09-30-preview",
        "2022-01-31-preview",
        "2023-01-31",
        "2024-11-30",
        "2026-04-30",
        "2026-05-31"}},
      {"Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
       {"2022-01-31-preview", "2023-01-31", "2024-11-30", "2026-04-30", "2026-05-31"}},
      {"Microsoft.KeyVault/vaults",
       {"2019-09-01",
        "2021-10-01",
        "2022-07-01",
        "2023-02-01",
        "2023-07-01",
        "2024-11-01",
        "2025-05-01",
        "2026-02-01"}},
      {"Microsoft.Authorization/permissions", {"2015-07-01", "2018-01-01-preview", "2022-04-01"}},
      {"Microsoft.Authorization/roleAssignments",
       {"2015-07-01", "2018-09-01-preview", "2020-04-01-preview", "2022-04-01"}},
      // GET /subscriptions and /tenants (az login), GET .../resources (vaults.list of the Key
      // Vault SDK asks with 2015-11-01).
      {"Microsoft.Resources/subscriptions",
       {"2016-06-01",
        "2019-06-01",
        "2019-11-01",
        "2020-01-01",
        "2021-01-01",
        "2022-01-01",
        "2022-09-01",
        "2022-12-01"}},
      {"Microsoft.Resources/resources",
       {"2015-11-01",
        "2016-09-01",
        "2019-10-01",
        "2020-06-01",
        "2021-01-01",
        "2021-04-01",
        "2022-09-01",
        "2022-12-01"}},
      {"Microsoft.Resources",
       {"2019-10-01",
        "2020-01-01",
        "2020-06-01",
        "2021-01-01",
        "2021-04-01",
        "2022-09-01",
        "2022-12-01"}},
  };
}

bool cluster_version_has_workload_identity(std::string const& api_version) {
  // api-versions are dates (YYYY-MM-DD[-preview]), so text order is time order.
  return api_version.compare(0, 10, k_cluster_workload_identity_version) >= 0;
}

nlohmann::json cluster_at_version(nlohmann::json cluster, std::string const& api_version) {
  static nlohmann::json::json_pointer const k_security{"/properties/securityProfile"};
  if (!cluster_version_has_workload_identity(api_version) && cluster.contains(k_security) &&
      cluster[k_security].is_object()) {
    cluster[k_security].erase("workloadIdentity");
  }
  return cluster;
}

void keep_fields_of_newer_versions(nlohmann::json& properties,
                                   nlohmann::json const& stored_properties,
                                   std::string const& api_version) {
  static nlohmann::json::json_pointer const k_stored{"/securityProfile/workloadIdentity"};
  if (cluster_version_has_workload_identity(api_version)) {
    return;
  }
  if (!properties.contains("securityProfile") || !properties["securityProfile"].is_object()) {
    properties["securityProfile"] = nlohmann::json::object();
  }
  properties["securityProfile"].erase("workloadIdentity");
  if (stored_properties.is_object() && stored_properties.contains(k_stored)) {
    properties["securityProfile"]["workloadIdentity"] = stored_properties.at(k_stored);
  }
}

} // namespace wisetup::sim
