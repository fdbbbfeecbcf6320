#pragma once

#include <wisetup/azure/permissions_client.hpp>
#include <wisetup/azure/resource_ref.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/steps/services.hpp>
#include <wisetup/workflow/runner.hpp>

#include <exception>
#include <vector>

namespace wisetup::steps {

/// A right a change needs is missing; nothing was changed. Exit code 4, as the refused request
/// itself would give.
class AccessDenied : public core::Error {
public:
  explicit AccessDenied(std::string const& message)
      : core::Error(message, core::ExitCode::ServiceError) {}
};

/// The check before the first write (workflow::RunOptions::check_access). It asks ARM for the
/// caller's effective permissions once per scope a pending change writes, and the cluster's API
/// server one SelfSubjectAccessReview per Kubernetes verb and resource, all at once. A change
/// missing a right gets an AccessDenied naming each missing action, its scope and how to grant
/// it. A question that cannot be answered (the endpoint fails or is not there) is logged as a
/// warning and blocks nothing: the request that needs the right then reports it.
class AccessPreflight {
public:
  AccessPreflight(azure::PermissionsClient const& permissions,
                  Services const& services,
                  azure::ResourceRef cluster);

  [[nodiscard]] std::vector<std::exception_ptr>
  operator()(std::vector<workflow::PendingChange> const& changes) const;

private:
  azure::PermissionsClient const& m_permissions;
  Services const& m_services;
  azure::ResourceRef m_cluster;
};

} // namespace wisetup::steps
