#pragma once

#include "sim/state.hpp"

#include <string>

namespace wisetup::sim {

/// Which kubeconfig listClusterUserCredential / listClusterAdminCredential hands out.
enum class KubeconfigKind {
  user,  ///< clusterUser_{rg}_{name}: client certificate and static token
  admin, ///< clusterAdmin_{rg}_{name}, context "{name}-admin": client certificate and token
  entra  ///< Entra-integrated cluster: a kubelogin exec user, no local credentials
};

/// The kubeconfig YAML AKS returns (before base64), pointing at `server` and trusting `ca_pem`.
[[nodiscard]] std::string kubeconfig_yaml(KubeCluster const& cluster,
                                          KubeconfigKind kind,
                                          std::string const& server,
                                          std::string const& ca_pem,
                                          std::string const& tenant_id,
                                          std::string const& proxy_url = {});

} // namespace wisetup::sim
