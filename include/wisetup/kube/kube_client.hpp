#pragma once

#include <wisetup/http/pipeline.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

namespace wisetup::kube {

/// A small client for the core/v1 namespaces and serviceaccounts of one API server.
/// Non-2xx answers throw http::ServiceError with the Status object's reason and message.
class KubeClient {
public:
  KubeClient(std::shared_ptr<http::Pipeline const> pipeline, std::string server);

  [[nodiscard]] std::optional<nlohmann::json> get_namespace(std::string const& name) const;
  /// POST; 409 AlreadyExists counts as done (another writer raced us).
  void create_namespace(std::string const& name) const;

  [[nodiscard]] std::optional<nlohmann::json> get_service_account(std::string const& ns,
                                                                  std::string const& name) const;
  [[nodiscard]] nlohmann::json create_service_account(std::string const& ns,
                                                      nlohmann::json const& body) const;
  /// PATCH with application/merge-patch+json: only the given fields change.
  [[nodiscard]] nlohmann::json merge_patch_service_account(std::string const& ns,
                                                           std::string const& name,
                                                           nlohmann::json const& patch) const;

private:
  std::shared_ptr<http::Pipeline const> m_pipeline;
  std::string m_server;
};

} // namespace wisetup::kube
