#include <wisetup/cli/choices.hpp>
#include <wisetup/cli/common_options.hpp>

namespace wisetup::cli {

namespace {

constexpr char const* k_target = "Target";

/// A string flag of the target group, also read from the environment variable `variable` when
/// one is named.
CLI::Option* add_target(CLI::App& command,
                        std::string const& names,
                        std::string& value,
                        std::string const& description,
                        std::string const& variable = {}) {
  auto* option = command.add_option(names, value, description)->group(k_target);
  if (!variable.empty()) {
    option->envname(variable);
  }
  return option;
}

/// A comma-separated list of permissions of the target group; help shows its default.
void add_permissions(CLI::App& command,
                     std::string const& names,
                     std::vector<std::string>& value,
                     std::string const& description) {
  command.add_option(names, value, description)
      ->delimiter(',')
      ->capture_default_str()
      ->group(k_target);
}

} // namespace

void add_target_options(CLI::App& command, CommandOptions& options) {
  add_target(command,
             "--subscription",
             options.subscription,
             "Azure subscription id",
             "AZURE_SUBSCRIPTION_ID");
  add_target(command,
             "-g,--resource-group",
             options.resource_group,
             "Resource group of the cluster",
             "RESOURCE_GROUP");
  add_target(command, "--cluster", options.cluster, "AKS cluster name", "AKSCLUSTER");
  add_target(command,
             "--identity",
             options.identity,
             "User-assigned managed identity to create or use",
             "USER_ASSIGNED_IDENTITY_NAME");
  add_target(command,
             "--identity-resource-group",
             options.identity_resource_group,
             "Resource group of the identity (default: the cluster's)");
  add_target(command,
             "-l,--location",
             options.location,
             "Location of a new identity (default: the cluster's)",
             "LOCATION");
  add_target(command,
             "--keyvault",
             options.keyvault,
             "Key Vault to grant access to (none given: the vault step is skipped)",
             "KEYVAULT_NAME");
  add_target(command,
             "--keyvault-resource-group",
             options.keyvault_resource_group,
             "Resource group of the Key Vault (default: the cluster's)");
  add_permissions(command,
                  "--key-permissions",
                  options.key_permissions,
                  "Key permissions to grant, comma separated, or none");
  add_permissions(command,
                  "--secret-permissions",
                  options.secret_permissions,
                  "Secret permissions to grant, comma separated, or none");
  add_permissions(command,
                  "--certificate-permissions",
                  options.certificate_permissions,
                  "Certificate permissions to grant, comma separated, or none");
  add_target(command,
             "-n,--namespace",
             options.kube_namespace,
             "Kubernetes namespace of the service account",
             "NAMESPACE");
  add_target(command,
             "--service-account",
             options.service_account,
             "Kubernetes service account name",
             "SERVICE_ACCOUNT_NAME");
  add_target(command,
             "--federated-credential",
             options.federated_credential,
             "Federated identity credential name (default: NAMESPACE-SERVICE_ACCOUNT)",
             "FEDERATED_IDENTITY_CREDENTIAL_NAME");
  add_target(command, "--audience", options.audience, "Audience of the federated credential")
      ->capture_default_str();
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
