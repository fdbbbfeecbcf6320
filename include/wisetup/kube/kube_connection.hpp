#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/tls_options.hpp>
#include <wisetup/http/token_credential.hpp>
#include <wisetup/http/transport.hpp>
#include <wisetup/kube/kube_client.hpp>
#include <wisetup/kube/kubeconfig.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace wisetup::kube {

/// Makes a transport that verifies and presents itself as `tls` says (production:
/// http::make_cpprest_transport).
using TransportFactory = std::function<std::shared_ptr<http::Transport>(http::TlsOptions)>;

/// The scope of Entra tokens for the AKS API server (the AKS server application, the same in every
/// cloud).
inline constexpr std::string_view k_aks_server_scope =
    "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

/// TLS for the API server, as kubectl does it: trust only the kubeconfig's CA when it has one (else
/// the system store), present its client certificate and key when it has them.
[[nodiscard]] http::TlsOptions kube_tls_options(Kubeconfig const& config);

/// How requests to the API server authenticate: a bearer credential and its scope, or none
/// (client certificate).
struct KubeAuthentication {
  std::shared_ptr<http::TokenCredential const> credential; ///< null: no Authorization header
  std::string scope;
};

/// Client certificate: no bearer. Else a static token: that token. Else a kubelogin exec or azure
/// auth-provider user: `entra_credential` with k_aks_server_scope when given (the command is
/// never run), otherwise core::InvalidInput explaining that Entra-integrated clusters are not
/// supported yet. Any other exec command or auth-provider, and a user with no credential at all,
/// throw core::InvalidInput (naming the command or provider).
[[nodiscard]] KubeAuthentication
kube_authentication(Kubeconfig const& config,
                    std::shared_ptr<http::TokenCredential const> entra_credential);

/// A KubeClient for the kubeconfig's API server: a transport from `make_transport` with
/// kube_tls_options, the standard pipeline (http::make_pipeline) with kube_authentication.
/// Throws what kube_authentication and `make_transport` throw.
[[nodiscard]] std::unique_ptr<KubeClient>
make_kube_client(Kubeconfig const& config,
                 TransportFactory const& make_transport,
                 http::PipelineOptions const& options,
                 std::shared_ptr<core::Clock> clock,
                 std::shared_ptr<http::TokenCredential const> entra_credential = nullptr);

} // namespace wisetup::kube
