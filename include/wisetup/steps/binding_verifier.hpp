#pragma once

#include <wisetup/core/cloud.hpp>
#include <wisetup/http/access_token.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/steps/services.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wisetup::steps {

enum class CheckStatus { Ok, Broken, Warning };

[[nodiscard]] std::string_view to_string(CheckStatus status);

/// One link of a binding, as verify found it. `fix` says what to run or change when it is not ok.
struct Check {
  std::string name;
  CheckStatus status = CheckStatus::Ok;
  std::string detail;
  std::string fix;
};

/// What verify checks, from the flags.
struct VerifyTarget {
  azure::ResourceRef cluster;
  azure::ResourceRef identity;
  std::optional<azure::ResourceRef> key_vault;
  azure::VaultPermissions permissions;
  std::string kube_namespace;
  std::string service_account;
  std::string federated_credential;
  std::string audience;
};

/// The connections verify needs beyond the step services.
struct VerifyConnections {
  core::Cloud cloud;
  std::shared_ptr<http::Transport> transport;      ///< the Entra token exchange
  std::shared_ptr<http::Pipeline const> anonymous; ///< OIDC discovery and JWKS
  /// A pipeline sending `token` as its bearer (the vault data plane, as the workload).
  std::function<std::shared_ptr<http::Pipeline const>(http::AccessToken token)> as_workload;
  std::shared_ptr<core::Clock> clock; ///< waits before retrying an exchange
};

/// Checks every link of a binding without writing: the cluster's features, the issuer's
/// discovery document and keys, the identity, the federated credential, the service account's
/// annotation, the vault grants, the pods; with `exchange`, a real token exchange and a vault
/// read as the workload. Each check that cannot be made because an earlier link is missing is
/// left out; a failure to reach a service is an error (thrown), not a broken link.
class BindingVerifier {
public:
  BindingVerifier(Services const& services, VerifyConnections connections);
  [[nodiscard]] std::vector<Check> verify(VerifyTarget const& target, bool exchange) const;

private:
  Services const& m_services;
  VerifyConnections m_connections;
};

} // namespace wisetup::steps
