// Microsoft.ContainerService/managedClusters, api-version 2024-09-01: GET, read-modify-write
// PUT with If-Match (followed as a long-running operation), POST listClusterUserCredential.
#include "azure/json_fields.hpp"
#include "azure/poll_schedule.hpp"

#include <wisetup/azure/arm_error.hpp>
#include <wisetup/azure/managed_cluster_client.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/base64.hpp>
#include <wisetup/http/service_error.hpp>

namespace wisetup::azure {
namespace {

using json = nlohmann::json;
using detail::bool_at;
using detail::same_status;
using detail::string_at;

json const* member(json const& object, std::string_view name) {
  return detail::find_path(object, {name});
}

/// The member `name` of `object` when it exists and has the type `wanted`, else nullptr.
json* mutable_member(json& object, std::string const& name, json::value_t wanted) {
  if (!object.is_object() || !object.contains(name)) {
    return nullptr;
  }
  auto& value = object[name];
  return value.type() == wanted ? &value : nullptr;
}

void erase_member(json& object, std::string_view name) {
  if (object.is_object()) {
    object.erase(std::string(name));
  }
}

/// The object at `name`, created (replacing a null or non-object value) when needed.
json& object_member(json& object, std::string const& name) {
  auto& value = object[name];
  if (!value.is_object()) {
    value = json::object();
  }
  return value;
}

std::string describe(ResourceRef const& cluster) {
  return "AKS cluster " + cluster.name + " in resource group " + cluster.resource_group +
         " of subscription " + cluster.subscription;
}

std::string with_request_id(std::string sentence, std::string const& request_id) {
  if (!request_id.empty()) {
    sentence += " (request id " + request_id + ")";
  }
  return sentence + ".";
}

[[noreturn]] void throw_no_kubeconfig(ResourceRef const& cluster,
                                      ArmResponse const& answer,
                                      std::string const& endpoint,
                                      std::string const& what) {
  http::ServiceFault fault;
  fault.status = answer.status;
  fault.message = what;
  fault.request_id = answer.headers.get("x-ms-request-id").value_or("");
  fault.method = "POST";
  fault.url = endpoint + managed_cluster_path(cluster) + "/listClusterUserCredential";
  auto sentence =
      with_request_id("Azure returned no usable kubeconfig for " + describe(cluster) + ": " + what +
                          "; check that the cluster is running, then re-run wi-setup",
                      fault.request_id);
  throw http::ServiceError(sentence, std::move(fault));
}

} // namespace

bool ManagedCluster::busy() const {
  // A resource without a provisioningState has no operation to wait for.
  if (provisioning_state.empty()) {
    return false;
  }
  return !same_status(provisioning_state, "Succeeded") &&
         !same_status(provisioning_state, "Failed") && !same_status(provisioning_state, "Canceled");
}

ManagedCluster ManagedCluster::from_json(json resource) {
  if (!resource.is_object()) {
    throw core::InvalidInput(
        "Azure answered with a managed cluster that is not a JSON object; check the Resource "
        "Manager endpoint of --cloud.");
  }
  ManagedCluster cluster;
  cluster.etag = string_at(resource, {"eTag"});
  cluster.location = string_at(resource, {"location"});
  cluster.provisioning_state = string_at(resource, {"properties", "provisioningState"});
  cluster.power_state = string_at(resource, {"properties", "powerState", "code"});
  cluster.oidc_issuer_enabled = bool_at(resource, {"properties", "oidcIssuerProfile", "enabled"});
  cluster.workload_identity_enabled =
      bool_at(resource, {"properties", "securityProfile", "workloadIdentity", "enabled"});
  cluster.issuer_url = string_at(resource, {"properties", "oidcIssuerProfile", "issuerURL"});
  cluster.resource = std::move(resource);
  return cluster;
}

std::string managed_cluster_path(ResourceRef const& cluster) {
  return resource_path(cluster, "Microsoft.ContainerService/managedClusters");
}

ManagedCluster ManagedClusterClient::get(ResourceRef const& cluster) const {
  auto const path = managed_cluster_path(cluster);
  try {
    return ManagedCluster::from_json(
        m_arm.send(http::Method::Get, path, k_api_version, std::nullopt).body);
  } catch (http::ServiceError const& error) {
    auto const& fault = error.fault();
    if (fault.status != 404) {
      throw;
    }
    std::string sentence = "AKS cluster " + cluster.name + " not found in resource group " +
                           cluster.resource_group + " of subscription " + cluster.subscription;
    if (same_status(fault.code, "ResourceGroupNotFound") ||
        same_status(fault.code, "SubscriptionNotFound")) {
      sentence += ": " + explain_arm_fault(fault);
    } else {
      sentence += "; check --cluster, --resource-group and --subscription";
    }
    throw http::ServiceError(with_request_id(sentence, fault.request_id), fault);
  }
}

ManagedCluster ManagedClusterClient::wait_until_idle(ResourceRef const& cluster,
                                                     ProgressCallback const& progress) const {
  auto current = get(cluster);
  detail::PollSchedule schedule{*m_lro.clock(), m_lro.options()};
  auto const what = "another operation on " + describe(cluster) + " to finish";
  http::Headers const no_retry_after;
  while (current.busy()) {
    schedule.wait(no_retry_after, what, current.provisioning_state);
    current = get(cluster);
    if (progress) {
      progress(current.provisioning_state, schedule.elapsed());
    }
  }
  return current;
}

json ManagedClusterClient::enabled_body(json const& resource) {
  auto body = resource.is_object() ? resource : json::object();
  for (auto const* name : {"id", "name", "type", "systemData", "eTag"}) {
    erase_member(body, name);
  }
  auto& properties = object_member(body, "properties");
  for (auto const* name : {"provisioningState",
                           "powerState",
                           "maxAgentPools",
                           "fqdn",
                           "privateFQDN",
                           "azurePortalFQDN",
                           "currentKubernetesVersion",
                           "resourceUID"}) {
    erase_member(properties, name);
  }
  if (auto* pools = mutable_member(properties, "agentPoolProfiles", json::value_t::array)) {
    // An agent pool's powerState is writable (it starts and stops the pool): keep it.
    for (auto& pool : *pools) {
      for (auto const* name :
           {"provisioningState", "currentOrchestratorVersion", "nodeImageVersion", "eTag"}) {
        erase_member(pool, name);
      }
    }
  }
  if (auto* principal =
          mutable_member(properties, "servicePrincipalProfile", json::value_t::object)) {
    // GET never returns the secret; sending one (even empty) is a change AKS refuses.
    erase_member(*principal, "secret");
  }
  if (auto* identity = mutable_member(body, "identity", json::value_t::object)) {
    erase_member(*identity, "principalId");
    erase_member(*identity, "tenantId");
    if (auto* assigned =
            mutable_member(*identity, "userAssignedIdentities", json::value_t::object)) {
      for (auto& entry : *assigned) {
        erase_member(entry, "principalId");
        erase_member(entry, "clientId");
      }
    }
  }
  auto& oidc = object_member(properties, "oidcIssuerProfile");
  erase_member(oidc, "issuerURL");
  oidc["enabled"] = true;
  object_member(object_member(properties, "securityProfile"), "workloadIdentity")["enabled"] = true;
  return body;
}

ManagedCluster
ManagedClusterClient::enable_workload_identity(ResourceRef const& cluster,
                                               ManagedCluster const& current,
                                               ProgressCallback const& progress) const {
  auto const path = managed_cluster_path(cluster);
  auto const put = [&](ManagedCluster const& state) {
    http::Headers headers;
    if (!state.etag.empty()) {
      headers.set("If-Match", state.etag);
    }
    return m_arm.send(
        http::Method::Put, path, k_api_version, enabled_body(state.resource), headers);
  };

  // Someone else may change the cluster between our read and our write (412: its eTag moved on;
  // 409 OperationNotAllowed: their update is running). Read it again, waiting for any running
  // operation, and decide afresh: their change may have enabled the features already.
  constexpr int k_attempts = 3;
  ArmResponse initial;
  auto state = current;
  for (int attempt = 1;; ++attempt) {
    try {
      initial = put(state);
      break;
    } catch (http::ServiceError const& error) {
      auto const& fault = error.fault();
      bool const changed = fault.status == 412;
      bool const busy = fault.status == 409 && same_status(fault.code, "OperationNotAllowed");
      if (!changed && !busy) {
        throw;
      }
      if (attempt == k_attempts) {
        throw http::ServiceError(
            with_request_id(describe(cluster) + " kept changing while wi-setup was updating it (" +
                                std::to_string(fault.status) + " " + fault.code +
                                "); wait for the other operations on it to end and re-run",
                            fault.request_id),
            fault);
      }
      state = wait_until_idle(cluster, progress);
      if (state.oidc_issuer_enabled && state.workload_identity_enabled &&
          !state.issuer_url.empty()) {
        return state;
      }
    }
  }
  m_lro.wait(initial, path, k_api_version, progress);
  return get(cluster);
}

std::string ManagedClusterClient::user_kubeconfig(ResourceRef const& cluster) const {
  auto const answer = m_arm.send(http::Method::Post,
                                 managed_cluster_path(cluster) + "/listClusterUserCredential",
                                 k_api_version,
                                 std::nullopt);
  auto const* kubeconfigs = member(answer.body, "kubeconfigs");
  if (kubeconfigs == nullptr || !kubeconfigs->is_array() || kubeconfigs->empty()) {
    throw_no_kubeconfig(cluster,
                        answer,
                        m_arm.endpoint(),
                        "listClusterUserCredential answered with no kubeconfigs");
  }
  auto const* value = member(kubeconfigs->front(), "value");
  if (value == nullptr || !value->is_string()) {
    throw_no_kubeconfig(cluster, answer, m_arm.endpoint(), "the first kubeconfig has no value");
  }
  auto decoded = http::base64_decode(value->get<std::string>());
  if (!decoded || decoded->empty()) {
    throw_no_kubeconfig(
        cluster, answer, m_arm.endpoint(), "the first kubeconfig is not valid base64");
  }
  return std::move(*decoded);
}

} // namespace wisetup::azure
