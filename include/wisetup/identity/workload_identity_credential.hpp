#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/http/transport.hpp>

#include <memory>
#include <string>

namespace wisetup::identity {

class ClientAssertionCredential;

/// Where a WorkloadIdentityCredential finds the application and its federated token.
struct WorkloadIdentityOptions {
  std::string authority_host; ///< "https://login.microsoftonline.com" (AZURE_AUTHORITY_HOST)
  std::string tenant_id;      ///< AZURE_TENANT_ID
  std::string client_id;      ///< AZURE_CLIENT_ID
  /// AZURE_FEDERATED_TOKEN_FILE (a Kubernetes projected service account token). When set it is
  /// the source, re-read at every token request because kubelet rotates it.
  std::string token_file;
  /// ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN: the GitHub Actions job's
  /// own OIDC token, used when `token_file` is empty.
  std::string github_request_url;
  std::string github_request_token;
  /// Retries of the token request and of the GitHub token request.
  http::RetryOptions retry;
};

/// Workload identity federation: a client assertion credential whose assertion is an external
/// OIDC token (the Kubernetes service account token file, or the GitHub Actions job token from
/// `GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=api%3A%2F%2FAzureADTokenExchange` with
/// `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>`, answered `{"value": "<jwt>"}`).
/// A new federated token is read for every token request; none is ever logged or shown.
class WorkloadIdentityCredential final : public http::TokenCredential {
public:
  /// Throws core::InvalidInput when neither source is given, or when the GitHub request URL is
  /// not https:// (the job token must not travel in clear).
  WorkloadIdentityCredential(WorkloadIdentityOptions options,
                             std::shared_ptr<http::Transport> transport,
                             std::shared_ptr<core::Clock> clock);
  /// Throws core::AuthenticationError when the token file is missing, unreadable or empty
  /// (naming the path), when GitHub refuses the job token request or answers without a token,
  /// and when Microsoft Entra refuses the federated token (an expired token (700024) and a token
  /// no federated credential matches (70021, 700211-700213) get their own fix);
  /// http::TransportError when GitHub or the authority cannot be reached.
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override;
  /// "workload identity (AZURE_CLIENT_ID=<id>, AZURE_FEDERATED_TOKEN_FILE=<path>)" or
  /// "workload identity (AZURE_CLIENT_ID=<id>, GitHub Actions OIDC token)".
  [[nodiscard]] std::string describe() const override;

private:
  std::shared_ptr<ClientAssertionCredential const> m_inner;
};

} // namespace wisetup::identity
