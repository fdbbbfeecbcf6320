#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace wisetup::sim {

/// GET /api/v1: the core resources the simulated API server serves (namespaces, serviceaccounts
/// with their token subresource, pods).
[[nodiscard]] nlohmann::json kube_core_resources();

/// GET /apis: authentication.k8s.io/v1 and authorization.k8s.io/v1.
[[nodiscard]] nlohmann::json kube_api_groups();

/// GET /apis/{group}[/{version}]: an APIGroup or APIResourceList; nullopt for other paths.
[[nodiscard]] std::optional<nlohmann::json> kube_group_document(std::string const& path);

/// GET /openapi/v3: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."},
/// ...}}, the index kubectl reads first.
[[nodiscard]] nlohmann::json kube_openapi_v3_index();

/// GET /openapi/v3/{group-version path} ("api", "api/v1", "apis",
/// "apis/authorization.k8s.io/v1", ...): an OpenAPI 3.0 document of the operations and schemas
/// the simulator serves, with x-kubernetes-group-version-kind on each operation and the
/// fieldValidation query parameter on PATCH (so kubectl validates on the server). nullopt for an
/// unknown path.
[[nodiscard]] std::optional<nlohmann::json> kube_openapi_v3_document(std::string const& path);

/// GET /openapi/v2 (JSON): a Swagger 2.0 document with the same schemas under "definitions".
[[nodiscard]] nlohmann::json kube_openapi_v2();

} // namespace wisetup::sim
