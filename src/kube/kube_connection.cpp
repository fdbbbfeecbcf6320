#include <wisetup/core/error.hpp>
#include <wisetup/http/static_token_credential.hpp>
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
                    std::shared_ptr<http::TokenCredential const> entra_credential) {
  // parse_kubeconfig refuses these already; a Kubeconfig built another way is held to the same
  // rule. Nothing here (or anywhere in wi-setup) runs the command: it only selects Entra sign-in.
  if (!config.exec_command.empty() && config.exec_command != k_kubelogin_command) {
    throw core::InvalidInput("The kubeconfig of " + config.server + " names the exec command \"" +
                             printable(config.exec_command) +
                             "\" for its user; wi-setup never runs a command named by a server's "
                             "kubeconfig, and accepts only kubelogin, for which it signs in to "
                             "Entra ID itself.");
  }
  if (!config.auth_provider.empty() && config.auth_provider != k_azure_auth_provider) {
    throw core::InvalidInput("The kubeconfig of " + config.server + " names the auth-provider \"" +
                             printable(config.auth_provider) +
                             "\" for its user; wi-setup accepts only the azure auth-provider, for "
                             "which it signs in to Entra ID itself.");
  }
  if (!config.client_certificate_pem.empty()) {
    return {};
  }
  if (!config.token.empty()) {
    return {
        std::make_shared<http::StaticTokenCredential>(config.token, "the kubeconfig's user token"),
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
                 std::shared_ptr<http::TokenCredential const> entra_credential) {
  auto authentication = kube_authentication(config, std::move(entra_credential));
  auto pipeline = http::make_pipeline(options,
                                      make_transport(kube_tls_options(config)),
                                      std::move(authentication.credential),
                                      std::move(authentication.scope),
                                      std::move(clock));
  return std::make_unique<KubeClient>(std::move(pipeline), config.server);
}

} // namespace wisetup::kube
