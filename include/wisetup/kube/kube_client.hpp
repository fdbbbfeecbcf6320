#pragma once

#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/request.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wisetup::kube {

/// A small client for the core/v1 namespaces and serviceaccounts of one API server.
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
