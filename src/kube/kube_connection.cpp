#include <wisetup/core/error.hpp>
#include <wisetup/identity/static_token_credential.hpp>
#include <wisetup/kube/kube_connection.hpp>

namespace wisetup::kube {

http::TlsOptions kube_tls_options(Kubeconfig const& config) {
  http::TlsOptions tls;
  tls.extra_ca_pem = config.certificate_authority_pem;
  tls.only_extra_ca = !config.certificate_authority_pem.empty();
  tls.client_certificate_pem = config.client_certificate_pem;
  tls.client_key_pem = config.client_key_pem;
  return tls;
}

KubeAuthentication
kube_authentication(Kubeconfig const& config,
                    std::shared_ptr<identity::TokenCredential const> entra_credential) {
  if (!config.client_certificate_pem.empty()) {
    return {};
  }
  if (!config.token.empty()) {
    return {std::make_shared<identity::StaticTokenCredential>(config.token,
                                                              "the kubeconfig's user token"),
            std::string(k_aks_server_scope)};
  }
  if (!config.exec_command.empty() || !config.auth_provider.empty()) {
    if (entra_credential) {
      return {std::move(entra_credential), std::string(k_aks_server_scope)};
    }
    auto const how = config.exec_command.empty() ? "the auth-provider " + config.auth_provider
                                                 : "the exec command " + config.exec_command;
    throw core::InvalidInput(
        "The kubeconfig of " + config.server + " authenticates with " + how +
        " (an Entra ID-integrated cluster, normally through kubelogin); wi-setup cannot sign in "
        "to such clusters yet. Create the service account with kubectl instead, or use a cluster "
        "with local accounts.");
  }
  throw core::InvalidInput("The kubeconfig of " + config.server +
                           " names no client certificate, token or exec command for its user; "
                           "wi-setup cannot authenticate to that API server.");
}

std::unique_ptr<KubeClient>
make_kube_client(Kubeconfig const& config,
                 TransportFactory const& make_transport,
                 http::PipelineOptions const& options,
                 std::shared_ptr<core::Clock> clock,
                 std::shared_ptr<identity::TokenCredential const> entra_credential) {
  auto authentication = kube_authentication(config, std::move(entra_credential));
  auto pipeline = http::make_pipeline(options,
                                      make_transport(kube_tls_options(config)),
                                      std::move(authentication.credential),
                                      std::move(authentication.scope),
                                      std::move(clock));
  return std::make_unique<KubeClient>(std::move(pipeline), config.server);
}

} // namespace wisetup::kube
