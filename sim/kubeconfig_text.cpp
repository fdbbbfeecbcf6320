#include "sim/kubeconfig_text.hpp"

#include "sim/encoding.hpp"
#include "sim/well_known_apps.hpp"

namespace wisetup::sim {

// The AKS server application and the kubelogin public client, the same in every cloud.
constexpr char const* k_kubelogin_client_id = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";

std::string kubeconfig_yaml(KubeCluster const& cluster,
                            KubeconfigKind kind,
                            std::string const& server,
                            std::string const& ca_pem,
                            std::string const& tenant_id,
                            std::string const& proxy_url) {
  bool const admin = kind == KubeconfigKind::admin;
  std::string const& name = cluster.cluster_name;
  std::string const context = admin ? name + "-admin" : name;
  std::string const user =
      std::string(admin ? "clusterAdmin_" : "clusterUser_") + cluster.resource_group + "_" + name;
  std::string yaml = "apiVersion: v1\n"
                     "clusters:\n"
                     "- cluster:\n"
                     "    certificate-authority-data: " +
                     base64_encode(ca_pem) + "\n" +
                     (proxy_url.empty() ? std::string{} : "    proxy-url: " + proxy_url + "\n") +
                     "    server: " + server +
                     "\n"
                     "  name: " +
                     name +
                     "\n"
                     "contexts:\n"
                     "- context:\n"
                     "    cluster: " +
                     name +
                     "\n"
                     "    user: " +
                     user +
                     "\n"
                     "  name: " +
                     context +
                     "\n"
                     "current-context: " +
                     context +
                     "\n"
                     "kind: Config\n"
                     "preferences: {}\n"
                     "users:\n"
                     "- name: " +
                     user + "\n  user:\n";
  if (kind == KubeconfigKind::entra) {
    yaml += std::string("    exec:\n"
                        "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                        "      args:\n"
                        "      - get-token\n"
                        "      - --environment\n"
                        "      - AzurePublicCloud\n"
                        "      - --server-id\n"
                        "      - ") +
            k_aks_server_app_id +
            "\n"
            "      - --client-id\n"
            "      - " +
            k_kubelogin_client_id +
            "\n"
            "      - --tenant-id\n"
            "      - " +
            tenant_id +
            "\n"
            "      - --login\n"
            "      - devicecode\n"
            "      command: kubelogin\n"
            "      env: null\n"
            "      installHint: kubelogin is not installed which is required to connect to AAD "
            "enabled cluster.\n"
            "      interactiveMode: IfAvailable\n"
            "      provideClusterInfo: false\n";
    return yaml;
  }
  yaml += "    client-certificate-data: " +
          base64_encode(cluster.client_certificate->certificate_pem()) +
          "\n"
          "    client-key-data: " +
          base64_encode(cluster.client_certificate->private_key_pem()) +
          "\n"
          "    token: " +
          cluster.static_token + "\n";
  return yaml;
}

} // namespace wisetup::sim
