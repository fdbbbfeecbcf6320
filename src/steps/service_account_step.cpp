// POST managedClusters/listClusterUserCredential for a kubeconfig, then on the cluster's API
// server: GET/POST /api/v1/namespaces and GET/POST/PATCH (merge patch) serviceaccounts.
#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/steps/enable_reads.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/service_account_step.hpp>

namespace wisetup::steps {
namespace {

/// Whether `account` carries every wanted annotation. Throws when it carries one of them with
/// another value: its pods act as that other identity, and re-pointing them is not ours to do.
bool annotated(nlohmann::json const& account,
               nlohmann::json const& wanted,
               std::string const& where) {
  auto const metadata =
      account.is_object() ? account.value("metadata", nlohmann::json{}) : nlohmann::json{};
  auto const annotations = metadata.is_object()
                               ? metadata.value("annotations", nlohmann::json::object())
                               : nlohmann::json::object();
  bool complete = true;
  for (auto const& [key, value] : wanted.items()) {
    auto const found = annotations.find(key);
    if (found == annotations.end()) {
      complete = false;
    } else if (*found != value) {
      throw core::InvalidInput("service account " + where + " is already annotated " + key + ": " +
                               found->dump() + ", not " + value.dump() +
                               "; wi-setup will not re-point it. Use another --service-account "
                               "($SERVICE_ACCOUNT_NAME), or remove that annotation if the old "
                               "identity is no longer used");
    }
  }
  return complete;
}

/// The annotation changes that bring `account` (null: not there yet) to carry `wanted`.
std::vector<workflow::FieldChange> annotation_changes(nlohmann::json const& account,
                                                      nlohmann::json const& wanted) {
  auto const annotations = account.is_object() ? account.value("metadata", nlohmann::json::object())
                                                     .value("annotations", nlohmann::json::object())
                                               : nlohmann::json::object();
  std::vector<workflow::FieldChange> changes;
  for (auto const& [key, value] : wanted.items()) {
    if (!annotations.contains(key)) {
      changes.push_back({"metadata.annotations[\"" + key + "\"]", "", value.get<std::string>()});
    }
  }
  return changes;
}

} // namespace

ServiceAccountStep::ServiceAccountStep(Services const& services)
    : ServiceStep(services,
                  workflow::StepInfo{"service-account",
                                     "create the annotated Kubernetes service account",
                                     {keys::cluster.name,
                                      keys::kube_namespace.name,
                                      keys::service_account.name,
                                      keys::managed_identity.name},
                                     {keys::service_account_subject.name}}) {}

workflow::Observation ServiceAccountStep::observe(workflow::RunState& state,
                                                  workflow::ProgressSink const& /*progress*/) {
  auto const cluster = state.get(keys::cluster);
  auto const identity = state.get(keys::managed_identity);
  m_namespace = state.get(keys::kube_namespace);
  m_name = state.get(keys::service_account);
  m_annotations = {{std::string(k_client_id_annotation), identity.client_id},
                   {std::string(k_tenant_id_annotation), identity.tenant_id}};

  auto const view = m_services.read_ahead->get_or(reads::service_account, [&] {
    return look_at_service_account(m_services, cluster, m_namespace, m_name);
  });
  m_kube = view.kube;

  auto const where = m_namespace + "/" + m_name;
  auto const subject = "system:serviceaccount:" + m_namespace + ":" + m_name;
  auto const& existing = view.account;
  m_exists = existing.has_value();
  if (m_exists) {
    if (annotated(*existing, m_annotations, where)) {
      state.set(keys::service_account_subject, subject);
      return {workflow::Drift::InSync, where + " already annotated", {}, {}};
    }
    return {workflow::Drift::Update,
            "will annotate " + where,
            {},
            annotation_changes(*existing, m_annotations)};
  }
  m_namespace_exists = view.namespace_exists;
  auto changes = annotation_changes(nullptr, m_annotations);
  if (!m_namespace_exists) {
    changes.insert(changes.begin(), {"namespace", "", m_namespace});
  }
  changes.insert(changes.begin() + (m_namespace_exists ? 0 : 1), {"serviceaccount", "", where});
  return {workflow::Drift::Create,
          m_namespace_exists ? "will create " + where
                             : "will create namespace " + m_namespace + " and " + where,
          {},
          changes};
}

void ServiceAccountStep::publish_planned(workflow::RunState& state) {
  state.set(keys::service_account_subject, "system:serviceaccount:" + m_namespace + ":" + m_name);
}

std::string ServiceAccountStep::apply(workflow::RunState& state,
                                      workflow::ProgressSink const& /*progress*/) {
  auto const where = m_namespace + "/" + m_name;
  std::string detail;
  if (m_exists) {
    (void)m_kube->merge_patch_service_account(
        m_namespace, m_name, {{"metadata", {{"annotations", m_annotations}}}});
    detail = "annotated " + where;
  } else {
    if (!m_namespace_exists) {
      m_kube->create_namespace(m_namespace);
    }
    nlohmann::json const body = {{"apiVersion", "v1"},
                                 {"kind", "ServiceAccount"},
                                 {"metadata",
                                  {{"name", m_name},
                                   {"namespace", m_namespace},
                                   {"labels", {{"app.kubernetes.io/managed-by", "wi-setup"}}},
                                   {"annotations", m_annotations}}}};
    try {
      (void)m_kube->create_service_account(m_namespace, body);
      detail = m_namespace_exists ? "created " + where
                                  : "created namespace " + m_namespace + " and " + where;
    } catch (http::ServiceError const& error) {
      // Created meanwhile: by a retried POST whose first answer was lost, or by someone else.
      if (error.fault().status != 409) {
        throw;
      }
      auto const existing = m_kube->get_service_account(m_namespace, m_name);
      if (!existing || !annotated(*existing, m_annotations, where)) {
        (void)m_kube->merge_patch_service_account(
            m_namespace, m_name, {{"metadata", {{"annotations", m_annotations}}}});
      }
      detail = "annotated " + where + ", created meanwhile";
    }
  }
  state.set(keys::service_account_subject, "system:serviceaccount:" + m_namespace + ":" + m_name);
  return detail;
}

std::vector<workflow::AccessNeed>
ServiceAccountStep::required_access(workflow::RunState const& state,
                                    workflow::Observation const* observation) {
  auto const ns = state.get(keys::kube_namespace);
  if (observation == nullptr) {
    // Not looked yet (it waits for a new identity's client id): it will create the account or
    // annotate one that is there, after fetching the cluster's user credential.
    return {{workflow::AccessNeed::Api::ResourceManager,
             azure::managed_cluster_path(state.get(keys::cluster)),
             "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action"},
            {workflow::AccessNeed::Api::Kubernetes, ns, "create", "serviceaccounts"},
            {workflow::AccessNeed::Api::Kubernetes, ns, "patch", "serviceaccounts"}};
  }
  if (m_exists) {
    return {{workflow::AccessNeed::Api::Kubernetes, ns, "patch", "serviceaccounts"}};
  }
  std::vector<workflow::AccessNeed> needs{
      {workflow::AccessNeed::Api::Kubernetes, ns, "create", "serviceaccounts"}};
  if (!m_namespace_exists) {
    needs.push_back({workflow::AccessNeed::Api::Kubernetes, "", "create", "namespaces"});
  }
  return needs;
}

} // namespace wisetup::steps
