// Before the first write: GET {scope}/providers/Microsoft.Authorization/permissions per scope and
// POST selfsubjectaccessreviews per Kubernetes verb, in parallel.
#include <wisetup/core/stop_request.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/steps/access_preflight.hpp>
#include <wisetup/steps/cluster_connection.hpp>

#include <spdlog/spdlog.h>

#include <future>
#include <map>
#include <optional>
#include <utility>

namespace wisetup::steps {
namespace {

using Api = workflow::AccessNeed::Api;

/// "create serviceaccounts in namespace default", "create namespaces (cluster-wide)".
std::string kubernetes_right(workflow::AccessNeed const& need) {
  return need.action + " " + need.resource +
         (need.scope.empty() ? " (cluster-wide)" : " in namespace " + need.scope);
}

std::string kubernetes_key(workflow::AccessNeed const& need) {
  return need.scope + "\n" + need.action + "\n" + need.resource;
}

/// Each answer: the value, or nothing when the question could not be answered.
template <class Key, class Value> using Answers = std::map<Key, std::optional<Value>>;

Answers<std::string, std::vector<azure::Permission>>
ask_resource_manager(azure::PermissionsClient const& client,
                     std::vector<workflow::PendingChange> const& changes) {
  std::map<std::string, std::future<std::vector<azure::Permission>>> pending;
  for (auto const& change : changes) {
    for (auto const& need : change.needs) {
      if (need.api == Api::ResourceManager && pending.find(need.scope) == pending.end()) {
        pending.emplace(need.scope, std::async(std::launch::async, [&client, scope = need.scope] {
                          return client.effective(scope);
                        }));
      }
    }
  }
  Answers<std::string, std::vector<azure::Permission>> answers;
  for (auto& [scope, future] : pending) {
    try {
      answers[scope] = future.get();
    } catch (std::exception const& error) {
      spdlog::warn("could not check the rights at {} before changing anything: {}; going on, a "
                   "missing right will be reported by the request that needs it",
                   scope,
                   error.what());
      answers[scope] = std::nullopt;
    }
  }
  return answers;
}

Answers<std::string, bool> ask_kubernetes(Services const& services,
                                          azure::ResourceRef const& cluster,
                                          std::vector<workflow::PendingChange> const& changes) {
  std::map<std::string, workflow::AccessNeed> questions;
  for (auto const& change : changes) {
    for (auto const& need : change.needs) {
      if (need.api == Api::Kubernetes) {
        questions.emplace(kubernetes_key(need), need);
      }
    }
  }
  Answers<std::string, bool> answers;
  if (questions.empty()) {
    return answers;
  }
  std::shared_ptr<kube::KubeClient> kube;
  try {
    kube = connect_to_cluster(services, cluster);
  } catch (std::exception const& error) {
    spdlog::warn("could not reach the API server of cluster {} to check the rights of its user "
                 "before changing anything: {}; going on",
                 cluster.name,
                 error.what());
    return answers;
  }
  std::map<std::string, std::future<bool>> pending;
  for (auto const& [key, need] : questions) {
    pending.emplace(key, std::async(std::launch::async, [&kube, need = need] {
                      return kube->can_i(need.action, need.resource, need.scope);
                    }));
  }
  for (auto& [key, future] : pending) {
    try {
      answers[key] = future.get();
    } catch (std::exception const& error) {
      spdlog::warn("could not ask the API server whether its user may {}: {}; going on",
                   kubernetes_right(questions.at(key)),
                   error.what());
      answers[key] = std::nullopt;
    }
  }
  return answers;
}

} // namespace

AccessPreflight::AccessPreflight(azure::PermissionsClient const& permissions,
                                 Services const& services,
                                 azure::ResourceRef cluster)
    : m_permissions(permissions), m_services(services), m_cluster(std::move(cluster)) {}

std::vector<std::exception_ptr>
AccessPreflight::operator()(std::vector<workflow::PendingChange> const& changes) const {
  // Both APIs at once: the Kubernetes side needs a credential first, ARM answers meanwhile.
  auto kubernetes = std::async(std::launch::async, [this, &changes] {
    return ask_kubernetes(m_services, m_cluster, changes);
  });
  auto const arm = ask_resource_manager(m_permissions, changes);
  auto const kube = kubernetes.get();
  core::stop_request::throw_if_requested(); // interrupted: the answers are not to be trusted

  std::vector<std::exception_ptr> verdicts;
  for (auto const& change : changes) {
    std::vector<std::string> arm_missing;
    std::vector<std::string> kube_missing;
    for (auto const& need : change.needs) {
      if (need.api == Api::ResourceManager) {
        auto const found = arm.find(need.scope);
        if (found != arm.end() && found->second && !azure::allows(*found->second, need.action)) {
          arm_missing.push_back(need.action + " over " + need.scope);
        }
      } else {
        auto const found = kube.find(kubernetes_key(need));
        if (found != kube.end() && found->second && !*found->second) {
          kube_missing.push_back(kubernetes_right(need));
        }
      }
    }
    if (arm_missing.empty() && kube_missing.empty()) {
      verdicts.emplace_back();
      continue;
    }
    std::string message = "missing rights, so nothing was changed:";
    if (!arm_missing.empty()) {
      message += " the signed-in principal may not " + core::join(arm_missing, ", nor ") +
                 ". Grant a role with these actions at that scope (az role assignment create "
                 "--assignee <principal> --role <role> --scope <scope>; docs/permissions.md has "
                 "a custom role with exactly what wi-setup needs).";
    }
    if (!kube_missing.empty()) {
      message += std::string(arm_missing.empty() ? " on" : " On") + " cluster " + m_cluster.name +
                 ", the user of its credential may not " + core::join(kube_missing, ", nor ") +
                 ". Grant it with a Role and a RoleBinding (kubectl create role / rolebinding; "
                 "docs/permissions.md has the Role).";
    }
    verdicts.push_back(std::make_exception_ptr(AccessDenied(message)));
  }
  return verdicts;
}

} // namespace wisetup::steps
