#pragma once

#include <wisetup/azure/resource_ref.hpp>
#include <wisetup/kube/kube_client.hpp>
#include <wisetup/steps/services.hpp>

#include <memory>

namespace wisetup::steps {

/// A new client of the cluster's API server, reached with the cluster's user credential
/// (listClusterUserCredential), as kubectl after `az aks get-credentials` would.
[[nodiscard]] std::shared_ptr<kube::KubeClient>
open_cluster_connection(Services const& services, azure::ResourceRef const& cluster);

/// The run's client of its cluster's API server: the one read ahead (reads::cluster_connection)
/// when the run started it, else a new one.
[[nodiscard]] std::shared_ptr<kube::KubeClient>
connect_to_cluster(Services const& services, azure::ResourceRef const& cluster);

} // namespace wisetup::steps
