// POST managedClusters/listClusterUserCredential, then a client built from the kubeconfig.
#include <wisetup/steps/cluster_connection.hpp>

namespace wisetup::steps {

std::unique_ptr<kube::KubeClient> connect_to_cluster(Services const& services,
                                                     azure::ResourceRef const& cluster) {
  auto const kubeconfig =
      kube::parse_kubeconfig(services.clusters.user_kubeconfig(cluster),
                             "the user credential of AKS cluster " + cluster.name);
  return services.connect_kubernetes(kubeconfig);
}

} // namespace wisetup::steps
