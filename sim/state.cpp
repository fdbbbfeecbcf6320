#include "sim/state.hpp"

#include "sim/encoding.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

namespace wisetup::sim {

ServicePrincipal const* State::principal_by_client_id(std::string const& client_id) const {
  for (auto const& principal : service_principals) {
    if (iequals(principal.client_id, client_id)) {
      return &principal;
    }
  }
  return nullptr;
}

ServicePrincipal const* State::principal_by_object_id(std::string const& object_id) const {
  for (auto const& principal : service_principals) {
    if (iequals(principal.object_id, object_id)) {
      return &principal;
    }
  }
  return nullptr;
}

std::optional<std::string> State::principal_type(std::string const& object_id) const {
  if (principal_by_object_id(object_id) != nullptr) {
    return "ServicePrincipal";
  }
  if (auto const found = directory_objects.find(to_lower(object_id));
      found != directory_objects.end()) {
    return found->second;
  }
  return std::nullopt;
}

Subscription* State::subscription(std::string const& id) {
  auto const found = subscriptions.find(to_lower(id));
  return found == subscriptions.end() ? nullptr : &found->second;
}

ClusterOperation const* State::running_operation(std::string const& cluster_key) const {
  for (auto const& [name, operation] : operations) {
    if (operation.cluster_key == cluster_key && operation.status == "InProgress") {
      return &operation;
    }
  }
  return nullptr;
}

std::string next_resource_version(KubeCluster& cluster) {
  return std::to_string(++cluster.revision);
}

nlohmann::json new_namespace_object(KubeCluster& cluster, nlohmann::json metadata) {
  std::string const name = metadata.value("name", "");
  metadata["uid"] = new_guid();
  metadata["resourceVersion"] = next_resource_version(cluster);
  metadata["creationTimestamp"] = utc_seconds(std::chrono::system_clock::now());
  if (!metadata.contains("labels") || !metadata["labels"].is_object()) {
    metadata["labels"] = nlohmann::json::object();
  }
  metadata["labels"]["kubernetes.io/metadata.name"] = name;
  return {{"kind", "Namespace"},
          {"apiVersion", "v1"},
          {"metadata", std::move(metadata)},
          {"spec", {{"finalizers", {"kubernetes"}}}},
          {"status", {{"phase", "Active"}}}};
}

nlohmann::json new_service_account_object(KubeCluster& cluster,
                                          nlohmann::json object,
                                          std::string const& namespace_name) {
  object["kind"] = "ServiceAccount";
  object["apiVersion"] = "v1";
  auto& metadata = object["metadata"];
  metadata["namespace"] = namespace_name;
  metadata["uid"] = new_guid();
  metadata["resourceVersion"] = next_resource_version(cluster);
  metadata["creationTimestamp"] = utc_seconds(std::chrono::system_clock::now());
  metadata.erase("generation");
  metadata.erase("deletionTimestamp");
  return object;
}

KubeCluster new_kube_cluster(std::string const& cluster_id,
                             std::string const& cluster_name,
                             std::string const& resource_group) {
  KubeCluster cluster;
  cluster.cluster_id = cluster_id;
  cluster.cluster_name = cluster_name;
  cluster.resource_group = resource_group;
  auto authority = std::make_shared<CertificateAuthority>("ca");
  cluster.client_certificate = std::make_shared<IssuedCertificate const>(
      authority->issue_client_certificate("masterclient", "system:masters"));
  cluster.client_ca = std::move(authority);
  cluster.static_token = random_hex(64);
  for (char const* name : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
    cluster.namespaces[name] = new_namespace_object(cluster, {{"name", name}});
    cluster.service_accounts[std::string(name) + "/default"] =
        new_service_account_object(cluster, {{"metadata", {{"name", "default"}}}}, name);
  }
  return cluster;
}

} // namespace wisetup::sim
