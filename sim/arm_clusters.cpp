// Microsoft.ContainerService/managedClusters: GET, PUT (a long-running operation), PATCH (tags),
// the credential actions and the operation status (reference sections 2.1-2.5).
#include "sim/api_versions.hpp"
#include "sim/arm_handlers.hpp"
#include "sim/cluster_operations.hpp"
#include "sim/encoding.hpp"
#include "sim/kubeconfig_text.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

#include <regex>

namespace wisetup::sim {
namespace {

constexpr char const* k_cluster_type = "Microsoft.ContainerService/ManagedClusters";
constexpr char const* k_default_kubernetes_version = "1.29.9";
constexpr char const* k_default_node_image = "AKSUbuntu-2204gen2containerd-202409.23.0";

std::string cluster_key(ArmCall const& call) {
  return to_lower("/subscriptions/" + call.params.at(0) + "/resourcegroups/" + call.params.at(1) +
                  "/providers/microsoft.containerservice/managedclusters/" + call.params.at(2));
}

nlohmann::json& find_cluster(ArmCall& call) {
  auto const found = call.state.resources.find(cluster_key(call));
  if (found == call.state.resources.end()) {
    throw_resource_not_found("Microsoft.ContainerService/managedClusters/" + call.params.at(2),
                             call.params.at(1));
  }
  return found->second;
}

std::string unquote(std::string value) {
  if (value.rfind("W/", 0) == 0) {
    value = value.substr(2);
  }
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

// If-Match / If-None-Match against the cluster's eTag (reference section 2.3).
void check_preconditions(ArmCall const& call, nlohmann::json const* existing) {
  std::string const etag = existing != nullptr ? existing->value("eTag", "") : "";
  if (std::string const if_match = call.header("If-Match"); !if_match.empty()) {
    std::string const wanted = unquote(if_match);
    if (existing == nullptr || (wanted != "*" && wanted != etag)) {
      throw ArmError(412,
                     "PreconditionFailed",
                     existing == nullptr
                         ? "Operation failed because the If-Match header was given but the "
                           "managed cluster does not exist."
                         : "Operation failed because the eTag '" + wanted +
                               "' in the If-Match header does not match the managed cluster's "
                               "current eTag '" +
                               etag + "'. Read the cluster again and retry.");
    }
  }
  if (std::string const if_none_match = call.header("If-None-Match"); !if_none_match.empty()) {
    std::string const unwanted = unquote(if_none_match);
    if (existing != nullptr && (unwanted == "*" || unwanted == etag)) {
      throw ArmError(412,
                     "PreconditionFailed",
                     "Operation failed because the managed cluster already exists and the "
                     "If-None-Match header is '" +
                         unwanted + "'.");
    }
  }
}

void check_not_busy(ArmCall const& call, std::string const& key) {
  if (ClusterOperation const* operation = call.state.running_operation(key)) {
    nlohmann::json const& cluster = call.state.resources.at(key);
    std::string const state = cluster["properties"].value("provisioningState", "Updating");
    std::string const kind = iequals(state, "Creating") ? "create" : "update";
    throw ArmError(409,
                   "OperationNotAllowed",
                   "Operation is not allowed because there's an in progress " + kind +
                       " managed cluster operation with operationID '" + operation->name +
                       "' started at " + utc_seconds(operation->started_at) +
                       ". Please wait for it to finish before starting a new operation. See "
                       "https://aka.ms/aks-pending-operation for more details");
  }
}

bool flag(nlohmann::json const& object, char const* section, char const* field) {
  auto const found = object.find(section);
  return found != object.end() && found->is_object() && found->value(field, false) == true;
}

nlohmann::json object_member(nlohmann::json const& object, char const* field) {
  auto const found = object.find(field);
  if (found == object.end() || found->is_null()) {
    return nlohmann::json::object();
  }
  if (!found->is_object()) {
    throw ArmError(400,
                   "InvalidRequestContent",
                   std::string("The request content was invalid and could not be deserialized: '") +
                       field + " must be an object'.",
                   field);
  }
  return *found;
}

void reject_change(char const* property) {
  throw ArmError(400,
                 "PropertyChangeNotAllowed",
                 std::string("Changing property '") + property + "' is not allowed.",
                 property);
}

// Writable agent pool fields come from the body; read-only ones from the server.
nlohmann::json build_agent_pools(nlohmann::json pools,
                                 nlohmann::json const& old_properties,
                                 std::string const& kubernetes_version,
                                 std::string const& provisioning_state) {
  if (!pools.is_array()) {
    throw ArmError(400,
                   "InvalidRequestContent",
                   "The request content was invalid and could not be deserialized: "
                   "'agentPoolProfiles must be an array'.",
                   "agentPoolProfiles");
  }
  for (auto& pool : pools) {
    if (!pool.is_object() || !pool.contains("name") || !pool["name"].is_string()) {
      throw ArmError(400,
                     "InvalidParameter",
                     "Every agent pool in agentPoolProfiles needs a name.",
                     "agentPoolProfiles.name");
    }
    std::string node_image = k_default_node_image;
    if (auto const old = old_properties.find("agentPoolProfiles");
        old != old_properties.end() && old->is_array()) {
      for (auto const& old_pool : *old) {
        if (old_pool.value("name", "") == pool["name"].get<std::string>()) {
          node_image = old_pool.value("nodeImageVersion", node_image);
        }
      }
    }
    for (char const* read_only :
         {"provisioningState", "currentOrchestratorVersion", "nodeImageVersion", "eTag"}) {
      pool.erase(read_only);
    }
    if (!pool.contains("orchestratorVersion")) {
      pool["orchestratorVersion"] = kubernetes_version;
    }
    pool["currentOrchestratorVersion"] = pool["orchestratorVersion"];
    pool["nodeImageVersion"] = node_image;
    pool["provisioningState"] = provisioning_state;
    pool["eTag"] = new_guid();
    if (!pool.contains("powerState")) {
      pool["powerState"] = {{"code", "Running"}};
    }
  }
  return pools;
}

nlohmann::json build_identity(nlohmann::json identity,
                              nlohmann::json const* existing,
                              std::string const& tenant_id) {
  nlohmann::json const old = existing != nullptr
                                 ? existing->value("identity", nlohmann::json::object())
                                 : nlohmann::json::object();
  identity.erase("principalId");
  identity.erase("tenantId");
  std::string const type = identity.value("type", "");
  if (iequals(type, "SystemAssigned") || iequals(type, "SystemAssigned, UserAssigned")) {
    identity["principalId"] = old.value("principalId", new_guid());
    identity["tenantId"] = tenant_id;
  }
  if (auto users = identity.find("userAssignedIdentities"); users != identity.end()) {
    if (!users->is_object()) {
      throw ArmError(400,
                     "InvalidRequestContent",
                     "The request content was invalid and could not be deserialized: "
                     "'identity.userAssignedIdentities must be an object'.",
                     "identity.userAssignedIdentities");
    }
    nlohmann::json const old_users = old.value("userAssignedIdentities", nlohmann::json::object());
    for (auto& [id, value] : users->items()) {
      nlohmann::json const previous = old_users.value(id, nlohmann::json::object());
      value = {{"principalId", previous.value("principalId", new_guid())},
               {"clientId", previous.value("clientId", new_guid())}};
    }
  }
  return identity;
}

// The cluster a PUT body describes, as ARM stores it (reference section 2.3): writable fields
// come from the body only (so one that is left out is lost), read-only ones from the server.
nlohmann::json build_cluster(ArmCall& call,
                             nlohmann::json const& body,
                             nlohmann::json const* existing,
                             std::string const& location) {
  std::string const& subscription = call.params.at(0);
  std::string const& group = call.params.at(1);
  std::string const& name = call.params.at(2);
  nlohmann::json properties = object_member(body, "properties");
  nlohmann::json const old = existing != nullptr
                                 ? existing->value("properties", nlohmann::json::object())
                                 : nlohmann::json::object();
  std::string const provisioning_state = existing != nullptr ? "Updating" : "Creating";

  for (char const* read_only : {"provisioningState",
                                "powerState",
                                "maxAgentPools",
                                "fqdn",
                                "privateFQDN",
                                "azurePortalFQDN",
                                "currentKubernetesVersion",
                                "resourceUID"}) {
    properties.erase(read_only);
  }
  // Create-only properties: kept when left out, refused when changed.
  for (char const* immutable :
       {"dnsPrefix", "fqdnSubdomain", "nodeResourceGroup", "identityProfile"}) {
    if (existing == nullptr || !old.contains(immutable)) {
      continue;
    }
    if (properties.contains(immutable) && properties[immutable] != old[immutable]) {
      reject_change(immutable);
    }
    properties[immutable] = old[immutable];
  }
  // A cluster with a managed identity shows {"clientId": "msi"}, whatever the body left out.
  if (!properties.contains("servicePrincipalProfile") ||
      !properties["servicePrincipalProfile"].is_object()) {
    properties["servicePrincipalProfile"] = {{"clientId", "msi"}};
  }
  if (auto profile = properties.find("servicePrincipalProfile");
      profile != properties.end() && profile->is_object() && profile->contains("secret")) {
    if (existing != nullptr) {
      reject_change("servicePrincipalProfile.secret");
    }
    profile->erase("secret"); // write-only: never stored where GET could return it
  }

  nlohmann::json oidc = object_member(properties, "oidcIssuerProfile");
  oidc.erase("issuerURL");
  bool const oidc_enabled = oidc.value("enabled", false) == true;
  bool const oidc_was_enabled = flag(old, "oidcIssuerProfile", "enabled");
  if (oidc_was_enabled && !oidc_enabled) {
    throw ArmError(400,
                   "InvalidParameter",
                   "The OIDC issuer cannot be disabled once it has been enabled: "
                   "properties.oidcIssuerProfile.enabled must stay true.",
                   "oidcIssuerProfile.enabled");
  }
  oidc["enabled"] = oidc_enabled;
  if (oidc_was_enabled) {
    std::string const url = old["oidcIssuerProfile"].value("issuerURL", "");
    if (!url.empty()) {
      oidc["issuerURL"] = url;
    }
  }
  properties["oidcIssuerProfile"] = oidc;

  properties["securityProfile"] = object_member(properties, "securityProfile");
  keep_fields_of_newer_versions(properties, old, call.api_version);
  nlohmann::json const security = properties["securityProfile"];
  if (flag(security, "workloadIdentity", "enabled") && !oidc_enabled) {
    throw ArmError(400,
                   "InvalidParameter",
                   "Enabling workload identity requires the OIDC issuer: set "
                   "properties.oidcIssuerProfile.enabled to true in the same request.",
                   "securityProfile.workloadIdentity.enabled");
  }
  properties["securityProfile"] = security;

  if (!properties.contains("kubernetesVersion") || !properties["kubernetesVersion"].is_string()) {
    properties["kubernetesVersion"] = old.value("kubernetesVersion", k_default_kubernetes_version);
  }
  std::string const kubernetes_version = properties["kubernetesVersion"];
  properties["currentKubernetesVersion"] = kubernetes_version;

  if (existing == nullptr) {
    auto const pools = properties.find("agentPoolProfiles");
    if (pools == properties.end() || !pools->is_array() || pools->empty()) {
      throw ArmError(400,
                     "InvalidParameter",
                     "A managed cluster needs at least one agent pool in "
                     "properties.agentPoolProfiles.",
                     "agentPoolProfiles");
    }
    if (!properties.contains("dnsPrefix") && !properties.contains("fqdnSubdomain")) {
      properties["dnsPrefix"] = name + "-" + group + "-" + subscription.substr(0, 6);
    }
    if (!properties.contains("nodeResourceGroup")) {
      properties["nodeResourceGroup"] = "MC_" + group + "_" + name + "_" + location;
    }
  }
  if (properties.contains("agentPoolProfiles")) {
    properties["agentPoolProfiles"] = build_agent_pools(
        properties["agentPoolProfiles"], old, kubernetes_version, provisioning_state);
  }

  std::string const prefix = properties.value("dnsPrefix", properties.value("fqdnSubdomain", name));
  std::string const suffix = random_hex(4);
  properties["fqdn"] = old.value("fqdn", prefix + "-" + suffix + ".hcp." + location + ".azmk8s.io");
  properties["azurePortalFQDN"] = old.value(
      "azurePortalFQDN", prefix + "-" + suffix + ".portal.hcp." + location + ".azmk8s.io");
  properties["maxAgentPools"] = 100;
  properties["powerState"] = old.value("powerState", nlohmann::json{{"code", "Running"}});
  properties["resourceUID"] = old.value("resourceUID", random_hex(12));
  properties["provisioningState"] = provisioning_state;

  nlohmann::json cluster = {
      {"id",
       existing != nullptr ? existing->value("id", "")
                           : "/subscriptions/" + subscription + "/resourcegroups/" + group +
                                 "/providers/Microsoft.ContainerService/managedClusters/" + name},
      {"name", existing != nullptr ? existing->value("name", name) : name},
      {"type", k_cluster_type},
      {"location", location},
      {"eTag", new_guid()},
      {"sku",
       body.contains("sku") && body["sku"].is_object()
           ? body["sku"]
           : nlohmann::json{{"name", "Base"}, {"tier", "Free"}}},
      {"properties", std::move(properties)}};
  if (auto tags = optional_tags(body); !tags.is_null()) {
    cluster["tags"] = std::move(tags);
  }
  if (auto const identity = body.find("identity");
      identity != body.end() && identity->is_object()) {
    cluster["identity"] = build_identity(*identity, existing, call.state.tenant_id);
  }
  for (char const* optional : {"kind", "extendedLocation"}) {
    if (body.contains(optional)) {
      cluster[optional] = body[optional];
    }
  }
  return cluster;
}

std::vector<std::pair<std::string, std::string>> operation_headers(ArmCall const& call,
                                                                   ClusterOperation const& op) {
  std::vector<std::pair<std::string, std::string>> headers{
      {"Azure-AsyncOperation",
       call.context.base_url + "/subscriptions/" + op.subscription_id +
           "/providers/Microsoft.ContainerService/locations/" + op.location + "/operations/" +
           op.name + "?api-version=" + call.api_version}};
  if (call.context.options.retry_after_seconds) {
    headers.emplace_back("Retry-After", std::to_string(*call.context.options.retry_after_seconds));
  }
  return headers;
}

} // namespace

ArmReply get_cluster(ArmCall& call) {
  return {200, cluster_at_version(find_cluster(call), call.api_version), {}};
}

ArmReply put_cluster(ArmCall& call) {
  nlohmann::json const body = call.body_object();
  std::string const key = cluster_key(call);
  auto const found = call.state.resources.find(key);
  nlohmann::json const* existing = found == call.state.resources.end() ? nullptr : &found->second;
  check_preconditions(call, existing);
  if (existing != nullptr) {
    check_not_busy(call, key);
  } else {
    static std::regex const k_name_rule{
        "^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$"};
    if (!std::regex_match(call.params.at(2), k_name_rule)) {
      throw ArmError(400,
                     "InvalidParameter",
                     "The managed cluster name '" + call.params.at(2) +
                         "' is invalid: use 1-63 letters, digits, '-' or '_', starting and "
                         "ending with a letter or digit.",
                     "name");
    }
  }
  std::string const location = required_location(body);
  if (existing != nullptr) {
    check_same_location(*existing, location, call.params.at(1));
  }
  nlohmann::json cluster = build_cluster(call, body, existing, location);
  bool const created = existing == nullptr;
  call.state.resources[key] = cluster;
  if (created) {
    call.state.kubernetes.emplace(
        key, new_kube_cluster(cluster["id"], cluster["name"], call.params.at(1)));
  }
  ClusterOperation const& operation = start_cluster_operation(
      call.state, key, call.params.at(0), location, call.context.options.cluster_update);
  return {created ? 201 : 200,
          cluster_at_version(std::move(cluster), call.api_version),
          operation_headers(call, operation)};
}

ArmReply patch_cluster(ArmCall& call) {
  nlohmann::json const body = call.body_object();
  nlohmann::json& cluster = find_cluster(call);
  check_preconditions(call, &cluster);
  check_not_busy(call, cluster_key(call));
  nlohmann::json tags = optional_tags(body);
  if (tags.is_null()) {
    cluster.erase("tags");
  } else {
    cluster["tags"] = std::move(tags);
  }
  cluster["eTag"] = new_guid();
  return {200, cluster_at_version(cluster, call.api_version), {}};
}

ArmReply list_cluster_credential(ArmCall& call) {
  nlohmann::json const& cluster = find_cluster(call);
  bool const admin = iequals(call.params.at(3), "listClusterAdminCredential");
  nlohmann::json const& properties = cluster["properties"];
  if (admin && properties.value("disableLocalAccounts", false) == true) {
    throw ArmError(400,
                   "BadRequest",
                   "Getting static credential is not allowed because this cluster is set to "
                   "disable local accounts.");
  }
  std::string const key = cluster_key(call);
  auto kube = call.state.kubernetes.find(key);
  if (kube == call.state.kubernetes.end()) {
    kube = call.state.kubernetes
               .emplace(key, new_kube_cluster(cluster["id"], cluster["name"], call.params.at(1)))
               .first;
  }
  bool const entra = properties.contains("aadProfile") && properties["aadProfile"].is_object();
  KubeconfigKind const kind =
      admin ? KubeconfigKind::admin : (entra ? KubeconfigKind::entra : KubeconfigKind::user);
  std::string const yaml =
      kubeconfig_yaml(kube->second,
                      kind,
                      "https://127.0.0.1:" + std::to_string(call.context.kube_port),
                      call.context.server_ca->certificate_pem(),
                      call.state.tenant_id,
                      call.context.options.kubeconfig_proxy_url);
  return {200,
          {{"kubeconfigs",
            {{{"name", admin ? "clusterAdmin" : "clusterUser"}, {"value", base64_encode(yaml)}}}}},
          {}};
}

ArmReply get_cluster_operation(ArmCall& call) {
  auto const found = call.state.operations.find(to_lower(call.params.at(2)));
  if (found == call.state.operations.end() ||
      !iequals(found->second.subscription_id, call.params.at(0)) ||
      !iequals(found->second.location, call.params.at(1))) {
    throw ArmError(404,
                   "NotFound",
                   "The operation '" + call.params.at(2) + "' was not found in location '" +
                       call.params.at(1) + "'.");
  }
  ClusterOperation const& operation = found->second;
  nlohmann::json status = {{"id", call.request.path},
                           {"name", operation.name},
                           {"status", operation.status},
                           {"startTime", utc_precise(operation.started_at)}};
  std::vector<std::pair<std::string, std::string>> headers;
  if (operation.ended_at) {
    status["endTime"] = utc_precise(*operation.ended_at);
  } else if (call.context.options.retry_after_seconds) {
    headers.emplace_back("Retry-After", std::to_string(*call.context.options.retry_after_seconds));
  }
  if ((operation.status == "Failed" || operation.status == "Canceled") &&
      !operation.error.is_null()) {
    status["error"] = operation.error;
  }
  return {200, std::move(status), std::move(headers)};
}

} // namespace wisetup::sim
