#include <wisetup/cli/choices.hpp>
#include <wisetup/cli/common_options.hpp>

namespace wisetup::cli {

void add_target_options(CLI::App& command, CommandOptions& options) {
  auto const* target = "Target";
  command.add_option("--subscription", options.subscription, "Azure subscription id")
      ->envname("AZURE_SUBSCRIPTION_ID")
      ->group(target);
  command
      .add_option("-g,--resource-group", options.resource_group, "Resource group of the cluster")
      ->envname("RESOURCE_GROUP")
      ->group(target);
  command.add_option("--cluster", options.cluster, "AKS cluster name")
      ->envname("AKSCLUSTER")
      ->group(target);
  command
      .add_option("--identity", options.identity, "User-assigned managed identity to create or use")
      ->envname("USER_ASSIGNED_IDENTITY_NAME")
      ->group(target);
  command
      .add_option("--identity-resource-group",
                  options.identity_resource_group,
                  "Resource group of the identity (default: the cluster's)")
      ->group(target);
  command
      .add_option(
          "-l,--location", options.location, "Location of a new identity (default: the cluster's)")
      ->envname("LOCATION")
      ->group(target);
  command
      .add_option("--keyvault",
                  options.keyvault,
                  "Key Vault to grant access to (none given: the vault step is skipped)")
      ->envname("KEYVAULT_NAME")
      ->group(target);
  command
      .add_option("--keyvault-resource-group",
                  options.keyvault_resource_group,
                  "Resource group of the Key Vault (default: the cluster's)")
      ->group(target);
  command
      .add_option("--key-permissions",
                  options.key_permissions,
                  "Key permissions to grant, comma separated, or none")
      ->delimiter(',')
      ->capture_default_str()
      ->group(target);
  command
      .add_option("--secret-permissions",
                  options.secret_permissions,
                  "Secret permissions to grant, comma separated, or none")
      ->delimiter(',')
      ->capture_default_str()
      ->group(target);
  command
      .add_option("--certificate-permissions",
                  options.certificate_permissions,
                  "Certificate permissions to grant, comma separated, or none")
      ->delimiter(',')
      ->capture_default_str()
      ->group(target);
  command
      .add_option(
          "-n,--namespace", options.kube_namespace, "Kubernetes namespace of the service account")
      ->envname("NAMESPACE")
      ->group(target);
  command
      .add_option("--service-account", options.service_account, "Kubernetes service account name")
      ->envname("SERVICE_ACCOUNT_NAME")
      ->group(target);
  command
      .add_option("--federated-credential",
                  options.federated_credential,
                  "Federated identity credential name (default: NAMESPACE-SERVICE_ACCOUNT)")
      ->envname("FEDERATED_IDENTITY_CREDENTIAL_NAME")
      ->group(target);
  command.add_option("--audience", options.audience, "Audience of the federated credential")
      ->capture_default_str()
      ->group(target);
}

void add_common_options(CLI::App& command, CommandOptions& options) {
  auto const* connection = "Connection";
  command
      .add_option("--auth",
                  options.auth,
                  "How to sign in: default (environment, workload identity, managed identity, "
                  "Azure CLI, in that order), environment, workload-identity, managed-identity, "
                  "azure-cli or device-code")
      ->check(
          CLI::IsMember(std::vector<std::string>(choices::k_auth.begin(), choices::k_auth.end())))
      ->capture_default_str()
      ->group(connection);
  command
      .add_option("--cloud",
                  options.cloud,
                  "AzureCloud, AzureUSGovernment, AzureChinaCloud, or a cloud file (JSON as "
                  "`az cloud show -o json` prints it)")
      ->envname("AZURE_CLOUD")
      ->capture_default_str()
      ->group(connection);
  command
      .add_option("--ca-bundle",
                  options.ca_bundle,
                  "PEM file of extra certificate authorities to trust (SSL_CERT_FILE is honoured "
                  "too)")
      ->group(connection);
  command
      .add_option(
          "--timeout",
          options.timeout,
          "How long the whole run may take, the cluster update included: minutes, or a number "
          "with s, m or h (90s); then it stops as on Ctrl-C (exit 5)")
      ->capture_default_str()
      ->group(connection);
  auto const* output = "Output";
  command.add_option("-o,--output", options.output, "text or json")
      ->check(CLI::IsMember(
          std::vector<std::string>(choices::k_output.begin(), choices::k_output.end())))
      ->capture_default_str()
      ->group(output);
  command.add_flag("-q,--quiet", options.quiet, "Print only errors and the final outputs")
      ->group(output);
  command
      .add_flag("--no-color",
                options.no_color,
                "No colour in the text output (NO_COLOR does the same; there is none when stdout "
                "is not a terminal)")
      ->group(output);
  command
      .add_flag("-v,--verbose",
                options.verbosity,
                "Log requests (-v) and their allowed headers (-vv); secrets are never logged")
      ->group(output);
}

} // namespace wisetup::cli
