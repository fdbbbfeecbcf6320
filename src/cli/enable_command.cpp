#include <wisetup/cli/common_options.hpp>
#include <wisetup/cli/enable_command.hpp>

namespace wisetup::cli {

void add_enable_command(CLI::App& app,
                        Console const& console,
                        std::shared_ptr<EnableOptions> options,
                        core::ExitCode& exit_code) {
  auto* command = app.add_subcommand(
      "enable",
      "Wire a Kubernetes service account to a new or existing user-assigned managed identity with "
      "Workload Identity: enable the OIDC issuer and workload identity on the AKS cluster, create "
      "the identity, grant it Key Vault access, create the annotated service account and the "
      "federated identity credential. Safe to re-run: it changes only what is missing.");
  auto& o = *options;
  auto const* target = "Target";
  command->add_option("--subscription", o.subscription, "Azure subscription id")
      ->envname("AZURE_SUBSCRIPTION_ID")
      ->group(target);
  command->add_option("-g,--resource-group", o.resource_group, "Resource group of the cluster")
      ->envname("RESOURCE_GROUP")
      ->group(target);
  command->add_option("--cluster", o.cluster, "AKS cluster name")
      ->envname("AKSCLUSTER")
      ->group(target);
  command->add_option("--identity", o.identity, "User-assigned managed identity to create or use")
      ->envname("USER_ASSIGNED_IDENTITY_NAME")
      ->group(target);
  command
      ->add_option("--identity-resource-group",
                   o.identity_resource_group,
                   "Resource group of the identity (default: the cluster's)")
      ->group(target);
  command
      ->add_option(
          "-l,--location", o.location, "Location of a new identity (default: the cluster's)")
      ->envname("LOCATION")
      ->group(target);
  command
      ->add_option("--keyvault",
                   o.keyvault,
                   "Key Vault to grant access to (none given: the vault step is skipped)")
      ->envname("KEYVAULT_NAME")
      ->group(target);
  command
      ->add_option("--keyvault-resource-group",
                   o.keyvault_resource_group,
                   "Resource group of the Key Vault (default: the cluster's)")
      ->group(target);
  command
      ->add_option("--key-permissions",
                   o.key_permissions,
                   "Key permissions to grant, comma separated, or none")
      ->delimiter(',')
      ->capture_default_str()
      ->group(target);
  command
      ->add_option("--secret-permissions",
                   o.secret_permissions,
                   "Secret permissions to grant, comma separated, or none")
      ->delimiter(',')
      ->capture_default_str()
      ->group(target);
  command
      ->add_option("--certificate-permissions",
                   o.certificate_permissions,
                   "Certificate permissions to grant, comma separated, or none")
      ->delimiter(',')
      ->capture_default_str()
      ->group(target);
  command
      ->add_option(
          "-n,--namespace", o.kube_namespace, "Kubernetes namespace of the service account")
      ->envname("NAMESPACE")
      ->group(target);
  command->add_option("--service-account", o.service_account, "Kubernetes service account name")
      ->envname("SERVICE_ACCOUNT_NAME")
      ->group(target);
  command
      ->add_option("--federated-credential",
                   o.federated_credential,
                   "Federated identity credential name (default: NAMESPACE-SERVICE_ACCOUNT)")
      ->envname("FEDERATED_IDENTITY_CREDENTIAL_NAME")
      ->group(target);
  command->add_option("--audience", o.audience, "Audience of the federated credential")
      ->capture_default_str()
      ->group(target);
  add_common_options(*command, o);
  command->add_flag("-y,--yes",
                    o.yes,
                    "Confirm the cluster API server restart that enabling the OIDC issuer causes "
                    "(needed where there is no terminal to ask on)");

  command->callback([options, &console, &exit_code] { exit_code = run_enable(*options, console); });
}

} // namespace wisetup::cli
