// POST managedClusters/listClusterUserCredential for a kubeconfig, then on the cluster's API
// server: GET serviceaccounts, PATCH (merge patch, null removes) or DELETE with preconditions.
#include <wisetup/http/service_error.hpp>
#include <wisetup/steps/cluster_connection.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/service_account_step.hpp>
#include <wisetup/steps/unbind_service_account_step.hpp>

namespace wisetup::steps {
namespace {

constexpr std::string_view k_managed_by_label = "app.kubernetes.io/managed-by";

nlohmann::json metadata_map(nlohmann::json const& account, char const* name) {
  auto const metadata = account.value("metadata", nlohmann::json::object());
  auto map = metadata.is_object() ? metadata.value(name, nlohmann::json::object())
                                  : nlohmann::json::object();
  return map.is_object() ? map : nlohmann::json::object();
}

/// Created by wi-setup and unchanged since: only our label, only our annotations, no secrets.
bool untouched_since_created(nlohmann::json const& account) {
  auto const labels = metadata_map(account, "labels");
  if (labels.size() != 1 || labels.value(std::string(k_managed_by_label), "") != "wi-setup") {
    return false;
  }
  auto const annotations = metadata_map(account, "annotations");
  for (auto const& [key, value] : annotations.items()) {
    if (key != ServiceAccountStep::k_client_id_annotation &&
        key != ServiceAccountStep::k_tenant_id_annotation) {
      return false;
    }
  }
  auto const has = [&](char const* field) {
    return account.contains(field) && !account[field].empty();
  };
  return !has("secrets") && !has("imagePullSecrets") &&
         !account.contains("automountServiceAccountToken");
}

} // namespace

UnbindServiceAccountStep::UnbindServiceAccountStep(Services const& services)
    : ServiceStep(services,
                  workflow::StepInfo{"service-account",
                                     "remove our annotations from the service account",
                                     {keys::cluster.name,
                                      keys::kube_namespace.name,
                                      keys::service_account.name,
                                      keys::found_identity.name},
                                     {keys::service_account_unbound.name}}) {}

workflow::Observation
UnbindServiceAccountStep::observe(workflow::RunState& state,
                                  workflow::ProgressSink const& /*progress*/) {
  auto const cluster = state.get(keys::cluster);
  auto const identity = state.get(keys::found_identity);
  m_namespace = state.get(keys::kube_namespace);
  m_name = state.get(keys::service_account);
  auto const where = m_namespace + "/" + m_name;

  m_kube = connect_to_cluster(m_services, cluster);
  auto const account = m_kube->get_service_account(m_namespace, m_name);
  auto const annotations =
      account ? metadata_map(*account, "annotations") : nlohmann::json::object();
  auto const client_id =
      annotations.value(std::string(ServiceAccountStep::k_client_id_annotation), "");
  auto in_sync = [&](std::string detail) {
    state.set(keys::service_account_unbound, detail);
    return workflow::Observation{workflow::Drift::InSync, std::move(detail), {}, {}};
  };
  if (!account) {
    return in_sync(where + " does not exist");
  }
  if (client_id.empty()) {
    return in_sync(where + " carries no client-id annotation");
  }
  if (!identity || identity->client_id != client_id) {
    // Annotated for an identity that is not ours (or ours is gone and cannot be compared).
    return in_sync(where + " is annotated for client id " + client_id +
                   ", not this identity's: left as it is");
  }
  m_account = *account;
  m_delete = untouched_since_created(m_account);
  if (m_delete) {
    return {workflow::Drift::Delete,
            "will delete " + where + " (created by wi-setup, unchanged since)",
            {},
            {{"serviceaccount", where, ""}}};
  }
  std::vector<workflow::FieldChange> changes;
  for (auto annotation :
       {ServiceAccountStep::k_client_id_annotation, ServiceAccountStep::k_tenant_id_annotation}) {
    auto const key = std::string(annotation);
    if (annotations.contains(key)) {
      changes.push_back({"metadata.annotations[\"" + key + "\"]",
                         annotations[key].is_string() ? annotations[key].get<std::string>()
                                                      : annotations[key].dump(),
                         ""});
    }
  }
  return {workflow::Drift::Update, "will remove our annotations from " + where, {}, changes};
}

std::string UnbindServiceAccountStep::apply(workflow::RunState& state,
                                            workflow::ProgressSink const& /*progress*/) {
  auto const where = m_namespace + "/" + m_name;
  std::string detail;
  auto const metadata = m_account.value("metadata", nlohmann::json::object());
  if (m_delete) {
    try {
      bool const deleted = m_kube->delete_service_account(
          m_namespace, m_name, metadata.value("uid", ""), metadata.value("resourceVersion", ""));
      detail = deleted ? "deleted " + where : where + " was already gone";
    } catch (http::ServiceError const& error) {
      // 409: changed since it was read (someone added to it): keep it, only unbind it.
      if (error.fault().status != 409) {
        throw;
      }
      m_delete = false;
    }
  }
  if (!m_delete) {
    nlohmann::json const patch = {
        {"metadata",
         {{"annotations",
           {{std::string(ServiceAccountStep::k_client_id_annotation), nullptr},
            {std::string(ServiceAccountStep::k_tenant_id_annotation), nullptr}}}}}};
    (void)m_kube->merge_patch_service_account(m_namespace, m_name, patch);
    detail = "removed our annotations from " + where;
  }
  state.set(keys::service_account_unbound, detail);
  return detail;
}

void UnbindServiceAccountStep::publish_planned(workflow::RunState& state) {
  state.set(keys::service_account_unbound, std::string("planned"));
}

std::vector<workflow::AccessNeed>
UnbindServiceAccountStep::required_access(workflow::RunState const& state,
                                          workflow::Observation const* observation) {
  auto const ns = state.get(keys::kube_namespace);
  if (observation == nullptr) {
    return {{workflow::AccessNeed::Api::Kubernetes, ns, "delete", "serviceaccounts"},
            {workflow::AccessNeed::Api::Kubernetes, ns, "patch", "serviceaccounts"}};
  }
  return {{workflow::AccessNeed::Api::Kubernetes,
           ns,
           m_delete ? "delete" : "patch",
           "serviceaccounts"}};
}

} // namespace wisetup::steps
