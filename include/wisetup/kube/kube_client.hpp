#pragma once

#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/request.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wisetup::kube {

/// A small client for the core/v1 namespaces, serviceaccounts (and their tokens) and pods of one
/// API server, and SelfSubjectAccessReviews.
/// Non-2xx answers throw http::ServiceError with the Status object's reason (as the code) and
/// message, the Audit-Id as the request id, and a sentence such as "Kubernetes refused PATCH
/// serviceaccounts/ns/sa (403 Forbidden): <message>". A 2xx body that is not JSON throws
/// core::InvalidInput; an empty name throws core::InvalidInput. Names are percent-encoded.
class KubeClient {
public:
  /// `server` is the kubeconfig's https://host[:port] (a trailing '/' is dropped).
  KubeClient(std::shared_ptr<http::Pipeline const> pipeline, std::string server);

  /// GET /api/v1/namespaces/{name}; nullopt on 404.
  [[nodiscard]] std::optional<nlohmann::json> get_namespace(std::string const& name) const;
  /// POST /api/v1/namespaces; 409 AlreadyExists counts as done (another writer raced us).
  void create_namespace(std::string const& name) const;

  /// GET /api/v1/namespaces/{ns}/serviceaccounts/{name}; nullopt on 404.
  [[nodiscard]] std::optional<nlohmann::json> get_service_account(std::string const& ns,
                                                                  std::string const& name) const;
  /// POST /api/v1/namespaces/{ns}/serviceaccounts; returns the created object.
  [[nodiscard]] nlohmann::json create_service_account(std::string const& ns,
                                                      nlohmann::json const& body) const;
  /// PATCH with application/merge-patch+json: only the given fields change. Returns the object.
  [[nodiscard]] nlohmann::json merge_patch_service_account(std::string const& ns,
                                                           std::string const& name,
                                                           nlohmann::json const& patch) const;

  /// DELETE /api/v1/namespaces/{ns}/serviceaccounts/{name} with a DeleteOptions body whose
  /// preconditions carry `uid` and `resource_version` (an empty one is left out), so that an
  /// object replaced or changed since it was read is not deleted. true when deleted (200/202),
  /// false when it was already gone (404); a failed precondition (409 Conflict) throws
  /// http::ServiceError like every other refusal.
  bool delete_service_account(std::string const& ns,
                              std::string const& name,
                              std::string const& uid,
                              std::string const& resource_version) const;

  /// POST /api/v1/namespaces/{ns}/serviceaccounts/{sa}/token (TokenRequest,
  /// authentication.k8s.io/v1) for `audience` (left out when empty: the API server's own) and
  /// `expiration` (the server refuses less than 10 minutes and may shorten a long one); returns
  /// status.token. The token is a secret: no message or log line contains it. Throws
  /// core::InvalidInput when the answer carries no token.
  [[nodiscard]] std::string create_token(std::string const& ns,
                                         std::string const& service_account,
                                         std::string const& audience,
                                         std::chrono::seconds expiration) const;

  /// GET /api/v1/namespaces/{ns}/pods?fieldSelector=spec.serviceAccountName%3D{sa} (following
  /// metadata.continue); returns the items, the pods that run as that service account.
  [[nodiscard]] std::vector<nlohmann::json> list_pods(std::string const& ns,
                                                      std::string const& service_account) const;

  /// POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews: whether the signed-in user
  /// may `verb` the `resource` (core group; e.g. "create" "serviceaccounts" with `subresource`
  /// "token") in `ns` (empty: cluster-scoped, e.g. "create" "namespaces"). Returns
  /// status.allowed (absent = false).
  [[nodiscard]] bool can_i(std::string const& verb,
                           std::string const& resource,
                           std::string const& ns,
                           std::string const& subresource = {}) const;

  [[nodiscard]] std::string const& server() const { return m_server; }

private:
  [[nodiscard]] http::Request make_request(http::Method method,
                                           std::string const& path,
                                           std::optional<nlohmann::json> const& body,
                                           std::string_view content_type) const;
  [[nodiscard]] std::optional<nlohmann::json> get(std::string const& path,
                                                  std::string const& what) const;
  nlohmann::json send(http::Request const& request, std::string const& what) const;

  std::shared_ptr<http::Pipeline const> m_pipeline;
  std::string m_server;
};

} // namespace wisetup::kube
