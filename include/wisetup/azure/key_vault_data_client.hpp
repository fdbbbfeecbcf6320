#pragma once

#include <wisetup/http/pipeline.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace wisetup::azure {

/// What a secret GET says about the caller's access to a vault's secrets.
enum class SecretAccess {
  Granted,  ///< 200, or 404 SecretNotFound: the caller may get secrets
  Denied,   ///< 403 that is not the firewall (ForbiddenByPolicy, ForbiddenByRbac, ...)
  Firewall, ///< 403 ForbiddenByFirewall: the network, not the grant, stops the caller
};

/// The answer of probe_secret_get. `code` and `message` are Key Vault's (innererror.code when
/// the answer has one, else error.code); both empty on 200. Never a secret value.
struct SecretProbe {
  SecretAccess access = SecretAccess::Denied;
  std::string code;
  std::string message;
};

/// The Key Vault data plane (api-version 7.4). The pipeline must carry a bearer policy for the
/// vault audience (core::key_vault_audience(cloud) + "/.default"); this client adds no token.
class KeyVaultDataClient {
public:
  static constexpr std::string_view k_api_version = "7.4";
  explicit KeyVaultDataClient(std::shared_ptr<http::Pipeline const> pipeline);

  /// GET {vault_uri}secrets/{secret_name}?api-version=7.4 (a missing '/' at the end of
  /// `vault_uri` is added). Probe with a name that does not exist to test the `get` grant
  /// without reading any secret: 404 SecretNotFound and 200 -> Granted; 403 with innererror.code
  /// ForbiddenByFirewall -> Firewall; any other 403 -> Denied. Throws core::InvalidInput when
  /// `vault_uri` is not an https:// URL or `secret_name` is empty, http::ServiceError for any
  /// other status (ExitCode::Authentication on 401), and what the pipeline throws.
  [[nodiscard]] SecretProbe probe_secret_get(std::string const& vault_uri,
                                             std::string const& secret_name) const;

private:
  std::shared_ptr<http::Pipeline const> m_pipeline;
};

} // namespace wisetup::azure
