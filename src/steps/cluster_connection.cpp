// POST managedClusters/listClusterUserCredential, then a client built from the kubeconfig.
#include <wisetup/steps/cluster_connection.hpp>
#include <wisetup/steps/enable_reads.hpp>

namespace wisetup::steps {

std::shared_ptr<kube::KubeClient> open_cluster_connection(Services const& services,
                                                          azure::ResourceRef const& cluster) {
  auto const kubeconfig =
      kube::parse_kubeconfig(services.clusters.user_kubeconfig(cluster),
                             "the user credential of AKS cluster " + cluster.name);
  return services.connect_kubernetes(kubeconfig);
}

std::shared_ptr<kube::KubeClient> connect_to_cluster(Services const& services,
                                                     azure::ResourceRef const& cluster) {
  return services.read_ahead->get_or(reads::cluster_connection,
                                     [&] { return open_cluster_connection(services, cluster); });
}

} // namespace wisetup::steps
