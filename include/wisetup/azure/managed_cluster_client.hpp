#pragma once

#include <wisetup/azure/arm_client.hpp>
#include <wisetup/azure/long_running_operation.hpp>
#include <wisetup/azure/resource_ref.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace wisetup::azure {

/// The parts of a managed cluster wi-setup reads, plus the whole resource as read (for PUT).
struct ManagedCluster {
  nlohmann::json resource;
  std::string etag;
  std::string location;
  std::string provisioning_state;
  std::string power_state; ///< properties.powerState.code, may be empty
  bool oidc_issuer_enabled = false;
  bool workload_identity_enabled = false;
  std::string issuer_url; ///< properties.oidcIssuerProfile.issuerURL, verbatim
  /// provisioningState is set and not Succeeded, Failed or Canceled (compared ignoring case).
  [[nodiscard]] bool busy() const;
  /// Reads the wire names (eTag, properties.oidcIssuerProfile.issuerURL, ...); missing fields
  /// stay empty/false. Throws core::InvalidInput when `resource` is not a JSON object.
  [[nodiscard]] static ManagedCluster from_json(nlohmann::json resource);
};

/// Microsoft.ContainerService/managedClusters (GET, read-modify-write PUT, user credential).
class ManagedClusterClient {
public:
  static constexpr std::string_view k_api_version = "2024-09-01";
  ManagedClusterClient(ArmClient const& arm, LongRunningOperation const& lro)
      : m_arm(arm), m_lro(lro) {}

  /// Throws http::ServiceError (status 404, the service's code) with "AKS cluster C not found in
  /// resource group G of subscription S" when it does not exist, and what ArmClient throws.
  [[nodiscard]] ManagedCluster get(ResourceRef const& cluster) const;
  /// Polls the cluster (GET, paced like the LRO: growing interval from the LRO's options) until
  /// its provisioningState is terminal (another operation running); calls `progress` after each
  /// poll. Throws core::TimeoutError after the LRO's timeout, and what get() throws.
  [[nodiscard]] ManagedCluster wait_until_idle(ResourceRef const& cluster,
                                               ProgressCallback const& progress) const;
  /// PUTs `current` back with the OIDC issuer and workload identity enabled, every other writable
  /// property preserved and read-only ones stripped, with If-Match (when `current` has an eTag);
  /// follows the operation; returns the cluster as read afterwards.
  /// 412 (the eTag moved on) or 409 OperationNotAllowed (another operation running): waits until
  /// idle, reads the cluster again and repeats the read-modify-write from that read (or returns it
  /// when it already has both features and an issuer URL), at most three PUTs in all; when the
  /// third is refused the same way, throws http::ServiceError asking to wait for the other
  /// operations and re-run. Otherwise throws what ArmClient and LongRunningOperation throw.
  [[nodiscard]] ManagedCluster enable_workload_identity(ResourceRef const& cluster,
                                                        ManagedCluster const& current,
                                                        ProgressCallback const& progress) const;
  /// listClusterUserCredential: the first kubeconfig, base64-decoded to YAML text. An answer with
  /// no kubeconfig or one that is not base64 throws http::ServiceError (empty code, the answer's
  /// status and request id); the kubeconfig itself never appears in a message.
  [[nodiscard]] std::string user_kubeconfig(ResourceRef const& cluster) const;

  /// The body that enable_workload_identity PUTs (exposed for tests).
  [[nodiscard]] static nlohmann::json enabled_body(nlohmann::json const& resource);

private:
  ArmClient const& m_arm;
  LongRunningOperation const& m_lro;
};

[[nodiscard]] std::string managed_cluster_path(ResourceRef const& cluster);

} // namespace wisetup::azure
