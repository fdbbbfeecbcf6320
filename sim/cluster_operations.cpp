#include "sim/cluster_operations.hpp"

#include "sim/encoding.hpp"
#include "sim/random_values.hpp"

namespace wisetup::sim {
namespace {

void set_pools_state(nlohmann::json& properties, std::string const& provisioning_state) {
  auto pools = properties.find("agentPoolProfiles");
  if (pools == properties.end() || !pools->is_array()) {
    return;
  }
  for (auto& pool : *pools) {
    if (pool.is_object()) {
      pool["provisioningState"] = provisioning_state;
    }
  }
}

} // namespace

ClusterOperation& start_cluster_operation(State& state,
                                          std::string const& cluster_key,
                                          std::string const& subscription_id,
                                          std::string const& location,
                                          Seconds duration) {
  ClusterOperation operation;
  operation.name = new_guid();
  operation.cluster_key = cluster_key;
  operation.subscription_id = subscription_id;
  operation.location = location;
  operation.started_at = std::chrono::system_clock::now();
  operation.duration = duration;
  operation.due_at = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(duration);
  std::string const key = to_lower(operation.name);
  return state.operations.emplace(key, std::move(operation)).first->second;
}

void settle_cluster_operations(SimulatorContext& context) {
  auto const now = std::chrono::steady_clock::now();
  State& state = context.state;
  for (auto& [name, operation] : state.operations) {
    if (operation.status != "InProgress" || now < operation.due_at) {
      continue;
    }
    auto cluster = state.resources.find(operation.cluster_key);
    std::string const cluster_id = cluster != state.resources.end()
                                       ? cluster->second.value("id", operation.cluster_key)
                                       : operation.cluster_key;
    std::optional<OperationFault> failure;
    if (operation.planned_error) {
      failure = OperationFault{"Failed", *operation.planned_error};
    } else {
      failure = context.faults.take_operation_failure(cluster_id);
    }
    operation.ended_at =
        operation.started_at +
        std::chrono::duration_cast<std::chrono::system_clock::duration>(operation.duration);
    operation.status = failure ? failure->status : "Succeeded";
    if (failure) {
      operation.error = failure->error;
    }
    if (cluster == state.resources.end()) {
      continue;
    }
    auto& properties = cluster->second["properties"];
    properties["provisioningState"] = operation.status;
    set_pools_state(properties, operation.status);
    if (!failure) {
      auto& oidc = properties["oidcIssuerProfile"];
      if (oidc.is_object() && oidc.value("enabled", false) &&
          oidc.value("issuerURL", std::string{}).empty()) {
        oidc["issuerURL"] = new_issuer_url(context.base_url, state.tenant_id);
      }
    }
    cluster->second["eTag"] = new_guid();
  }
}

std::string new_issuer_url(std::string const& base_url, std::string const& tenant_id) {
  return base_url + "/oidc/" + tenant_id + "/" + new_guid() + "/";
}

} // namespace wisetup::sim
