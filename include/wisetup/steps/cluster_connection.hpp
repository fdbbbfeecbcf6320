#pragma once

#include <wisetup/azure/resource_ref.hpp>
#include <wisetup/kube/kube_client.hpp>
#include <wisetup/steps/services.hpp>

#include <memory>

namespace wisetup::steps {

/// A client of the cluster's API server, reached with the cluster's user credential
/// (listClusterUserCredential), as kubectl after `az aks get-credentials` would.
[[nodiscard]] std::unique_ptr<kube::KubeClient>
connect_to_cluster(Services const& services, azure::ResourceRef const& cluster);

} // namespace wisetup::steps
