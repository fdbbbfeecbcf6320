#pragma once

#include <wisetup/azure/managed_identity_client.hpp>
#include <wisetup/kube/kube_client.hpp>
#include <wisetup/steps/read_ahead.hpp>
#include <wisetup/steps/services.hpp>
#include <wisetup/workflow/run_state.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace wisetup::steps {

/// What the service account step needs to know of the cluster: a connection to its API server,
/// the account if it exists, and, when it does not, whether its namespace does.
struct ServiceAccountView {
  std::shared_ptr<kube::KubeClient> kube;
  std::optional<nlohmann::json> account;
  bool namespace_exists = true;
};

/// Looks at the service account `name` in `kube_namespace` of `cluster`.
[[nodiscard]] ServiceAccountView look_at_service_account(Services const& services,
                                                         azure::ResourceRef const& cluster,
                                                         std::string const& kube_namespace,
                                                         std::string const& name);

/// The reads of `enable` that need only its inputs.
namespace reads {
inline constexpr ReadKey<std::optional<azure::UserAssignedIdentity>> identity{"identity"};
inline constexpr ReadKey<std::vector<azure::FederatedCredential>> federated_credentials{
    "federated-credentials"};
inline constexpr ReadKey<std::shared_ptr<kube::KubeClient>> cluster_connection{
    "cluster-connection"};
inline constexpr ReadKey<ServiceAccountView> service_account{"service-account"};
} // namespace reads

/// Starts every read of reads:: at once, from the inputs in `state`. The cluster and the vault
/// need no head start: their steps read them first thing.
void start_enable_reads(Services const& services, workflow::RunState const& state);

/// Reads the federated credentials of `identity` again (it was just created, so the first read
/// found no identity), so that the credential step finds them ready when the cluster is.
void reread_federated_credentials(Services const& services, azure::ResourceRef const& identity);

} // namespace wisetup::steps
