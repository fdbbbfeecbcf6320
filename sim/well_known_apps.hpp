#pragma once

namespace wisetup::sim {

/// The application id of AKS's Microsoft Entra server app: the audience of tokens for the API
/// servers of clusters with Microsoft Entra integration, the same in every tenant.
inline constexpr char const* k_aks_server_app_id = "6dae42f8-4368-4678-94ff-3960e28e3630";

} // namespace wisetup::sim
