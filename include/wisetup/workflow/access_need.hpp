#pragma once

#include <string>

namespace wisetup::workflow {

/// A right that a step's change needs, checked before the run's first write: an Azure Resource
/// Manager action over a scope, or a Kubernetes verb on a core resource of the step's cluster.
struct AccessNeed {
  enum class Api { ResourceManager, Kubernetes };

  Api api = Api::ResourceManager;
  /// ARM: the resource id (or, for a resource not created yet, its resource group's id) the action
  /// applies to. Kubernetes: the namespace; empty for a cluster-scoped resource.
  std::string scope;
  /// ARM: "Microsoft.ManagedIdentity/userAssignedIdentities/write". Kubernetes: "create".
  std::string action;
  /// Kubernetes only: "serviceaccounts", "namespaces".
  std::string resource{};

  friend bool operator==(AccessNeed const&, AccessNeed const&) = default;
};

} // namespace wisetup::workflow
