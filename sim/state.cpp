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

std::string IdentityRef::property(char const* name) const {
  static nlohmann::json const k_empty = nlohmann::json::object();
  auto const& properties = resource->contains("properties") ? (*resource)["properties"] : k_empty;
  auto const found = properties.find(name);
  return found != properties.end() && found->is_string() ? found->get<std::string>()
                                                         : std::string{};
}

User const* State::user(std::string const& object_id_or_upn) const {
  for (auto const& candidate : users) {
    if (iequals(candidate.object_id, object_id_or_upn) ||
        iequals(candidate.user_principal_name, object_id_or_upn)) {
      return &candidate;
    }
  }
  return nullptr;
}

PublicClient const* State::public_client(std::string const& client_id) const {
  for (auto const& client : public_clients) {
    if (iequals(client.client_id, client_id)) {
      return &client;
    }
  }
  return nullptr;
}

std::optional<IdentityRef> State::identity_by(char const* property,
                                              std::string const& value) const {
  static std::string const k_type = "microsoft.managedidentity/userassignedidentities";
  if (value.empty()) {
    return std::nullopt;
  }
  for (auto const& [key, resource] : resources) {
    if (!iequals(resource.value("type", ""), k_type)) {
      continue;
    }
    IdentityRef identity{key, &resource};
    bool const match = std::string_view(property) == "id"
                           ? key == to_lower(value)
                           : iequals(identity.property(property), value);
    if (match) {
      return identity;
    }
  }
  return std::nullopt;
}

std::vector<nlohmann::json const*>
State::identity_credentials(std::string const& identity_key) const {
  std::vector<nlohmann::json const*> credentials;
  std::string const prefix = identity_key + "/federatedidentitycredentials/";
  for (auto it = resources.lower_bound(prefix);
       it != resources.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    credentials.push_back(&it->second);
  }
  return credentials;
}

std::optional<ServicePrincipal> State::arm_caller(std::string const& object_id) const {
  if (auto const* principal = principal_by_object_id(object_id)) {
    return *principal;
  }
  if (auto const* person = user(object_id);
      person != nullptr && iequals(person->object_id, object_id)) {
    ServicePrincipal caller;
    caller.display_name = person->display_name;
    caller.object_id = person->object_id;
    caller.reader_only = person->reader_only;
    caller.denied_actions = person->denied_actions;
    return caller;
  }
  auto const& system = managed_identity_host.system_assigned;
  if (system && iequals(system->object_id, object_id)) {
    return *system;
  }
  if (auto const identity = identity_by("principalId", object_id)) {
    ServicePrincipal caller;
    caller.display_name = identity->resource->value("name", "");
    caller.client_id = identity->property("clientId");
    caller.object_id = identity->property("principalId");
    auto access = identity_access.find(to_lower(object_id));
    if (access == identity_access.end()) {
      access = identity_access.find("*");
    }
    if (access == identity_access.end()) {
      caller.denied_actions = {"*"};
    } else {
      caller.reader_only = access->second.reader_only;
      caller.denied_actions = access->second.denied_actions;
    }
    return caller;
  }
  return std::nullopt;
}

std::optional<std::string> State::principal_type(std::string const& object_id) const {
  if (principal_by_object_id(object_id) != nullptr) {
    return "ServicePrincipal";
  }
  if (auto const* person = user(object_id);
      person != nullptr && iequals(person->object_id, object_id)) {
    return "User";
  }
  if (managed_identity_host.system_assigned &&
      iequals(managed_identity_host.system_assigned->object_id, object_id)) {
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

nlohmann::json
new_pod_object(KubeCluster& cluster, nlohmann::json object, std::string const& namespace_name) {
  object["kind"] = "Pod";
  object["apiVersion"] = "v1";
  auto& metadata = object["metadata"];
  metadata["namespace"] = namespace_name;
  metadata["uid"] = new_guid();
  metadata["resourceVersion"] = next_resource_version(cluster);
  if (!metadata.contains("creationTimestamp") || !metadata["creationTimestamp"].is_string()) {
    metadata["creationTimestamp"] = utc_seconds(std::chrono::system_clock::now());
  }
  if (!object.contains("spec") || !object["spec"].is_object()) {
    object["spec"] = nlohmann::json::object();
  }
  auto& spec = object["spec"];
  if (!spec.contains("serviceAccountName") || !spec["serviceAccountName"].is_string()) {
    spec["serviceAccountName"] = "default";
  }
  spec["serviceAccount"] = spec["serviceAccountName"];
  if (!spec.contains("containers") || !spec["containers"].is_array() ||
      spec["containers"].empty()) {
    spec["containers"] = {{{"name", "app"}, {"image", "mcr.microsoft.com/azure-cli:latest"}}};
  }
  if (!object.contains("status") || !object["status"].is_object()) {
    object["status"] = nlohmann::json::object();
  }
  auto& status = object["status"];
  if (!status.contains("phase")) {
    status["phase"] = "Running";
  }
  if (!status.contains("startTime")) {
    status["startTime"] = metadata["creationTimestamp"];
  }
  if (!status.contains("containerStatuses")) {
    auto statuses = nlohmann::json::array();
    bool const running = status["phase"] == "Running";
    for (auto const& container : spec["containers"]) {
      statuses.push_back(
          {{"name", container.value("name", "app")},
           {"image", container.value("image", "")},
           {"ready", running},
           {"restartCount", 0},
           {"started", running},
           {"state",
            running ? nlohmann::json{{"running", {{"startedAt", metadata["creationTimestamp"]}}}}
                    : nlohmann::json{{"waiting", {{"reason", "ContainerCreating"}}}}}});
    }
    status["containerStatuses"] = std::move(statuses);
  }
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
