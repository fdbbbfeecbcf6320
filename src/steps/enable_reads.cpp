// The reads of enable started together, before the steps that use them.
#include <wisetup/steps/cluster_connection.hpp>
#include <wisetup/steps/enable_reads.hpp>
#include <wisetup/steps/keys.hpp>

namespace wisetup::steps {

ServiceAccountView look_at_service_account(Services const& services,
                                           azure::ResourceRef const& cluster,
                                           std::string const& kube_namespace,
                                           std::string const& name) {
  ServiceAccountView view;
  view.kube = connect_to_cluster(services, cluster);
  view.account = view.kube->get_service_account(kube_namespace, name);
  if (!view.account) {
    view.namespace_exists = view.kube->get_namespace(kube_namespace).has_value();
  }
  return view;
}

void start_enable_reads(Services const& services, workflow::RunState const& state) {
  auto& ahead = *services.read_ahead;
  auto const cluster = state.get(keys::cluster);
  auto const identity = state.get(keys::identity);
  ahead.start(reads::identity, [&services, identity] { return services.identities.get(identity); });
  reread_federated_credentials(services, identity);
  // Started before the service account's read, which waits for it.
  ahead.start(reads::cluster_connection,
              [&services, cluster] { return open_cluster_connection(services, cluster); });
  ahead.start(reads::service_account,
              [&services,
               cluster,
               kube_namespace = state.get(keys::kube_namespace),
               name = state.get(keys::service_account)] {
                return look_at_service_account(services, cluster, kube_namespace, name);
              });
}

void reread_federated_credentials(Services const& services, azure::ResourceRef const& identity) {
  services.read_ahead->start(reads::federated_credentials, [&services, identity] {
    return services.identities.list_federated_credentials(identity);
  });
}

} // namespace wisetup::steps
