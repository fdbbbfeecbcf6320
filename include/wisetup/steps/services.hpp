#pragma once

#include <wisetup/azure/key_vault_client.hpp>
#include <wisetup/azure/managed_cluster_client.hpp>
#include <wisetup/azure/managed_identity_client.hpp>
#include <wisetup/azure/role_assignment_client.hpp>
#include <wisetup/core/clock.hpp>
#include <wisetup/kube/kube_client.hpp>
#include <wisetup/kube/kubeconfig.hpp>
#include <wisetup/steps/read_ahead.hpp>

#include <functional>
#include <memory>

namespace wisetup::steps {

/// Opens a Kubernetes client for a kubeconfig (TLS and credentials from it).
using KubeConnector = std::function<std::unique_ptr<kube::KubeClient>(kube::Kubeconfig const&)>;

/// The service clients the steps call; owned by the command, shared by every step.
struct Services {
  azure::ManagedClusterClient const& clusters;
  azure::ManagedIdentityClient const& identities;
  azure::KeyVaultClient const& key_vaults;
  azure::RoleAssignmentClient const& role_assignments;
  KubeConnector connect_kubernetes;
  /// For the few waits a step makes itself (a federated credential write Azure asked to retry).
  std::shared_ptr<core::Clock> clock;
  /// The reads the run started before its steps asked (start_enable_reads); empty otherwise.
  std::shared_ptr<ReadAhead> read_ahead = std::make_shared<ReadAhead>();
};

} // namespace wisetup::steps
