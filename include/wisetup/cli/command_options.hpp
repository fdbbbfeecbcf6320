#pragma once

#include <string>
#include <vector>

namespace wisetup::cli {

/// Everything a subcommand (plan, enable, verify, disable) is told, by flag or environment
/// variable, before validation. The target and connection flags are shared by all four.
struct CommandOptions {
  // Where things are.
  std::string subscription;            ///< --subscription / AZURE_SUBSCRIPTION_ID
  std::string resource_group;          ///< --resource-group / RESOURCE_GROUP
  std::string cluster;                 ///< --cluster / AKSCLUSTER
  std::string identity;                ///< --identity / USER_ASSIGNED_IDENTITY_NAME
  std::string identity_resource_group; ///< --identity-resource-group (default: resource group)
  std::string location;                ///< --location / LOCATION (default: the cluster's)
  std::string keyvault;                ///< --keyvault / KEYVAULT_NAME (empty: no vault step)
  std::string keyvault_resource_group; ///< --keyvault-resource-group (default: resource group)
  std::vector<std::string> key_permissions{"get"};
  std::vector<std::string> secret_permissions{"get"};
  std::vector<std::string> certificate_permissions{"get"};
  std::string kube_namespace;       ///< --namespace / NAMESPACE
  std::string service_account;      ///< --service-account / SERVICE_ACCOUNT_NAME
  std::string federated_credential; ///< --federated-credential (default: NS-SA)
  std::string audience = "api://AzureADTokenExchange";

  // How to talk to Azure.
  std::string auth = "default";     ///< --auth: which kind of credential signs in
  std::string cloud = "AzureCloud"; ///< --cloud / AZURE_CLOUD: a name or a cloud file
  std::string ca_bundle;            ///< --ca-bundle: extra CAs to trust (PEM)
  std::string timeout = "30";       ///< --timeout: the whole run's deadline: 30 (minutes), 90s, 2h

  // What to do.
  bool dry_run = false;           ///< enable/disable --dry-run: show the plan, change nothing
  bool repair_issuer = false;     ///< enable --repair-issuer: re-point our credential's issuer
  bool exchange = false;          ///< verify --exchange: prove it with a real token exchange
  bool keep_identity = false;     ///< disable --keep-identity
  bool skip_access_check = false; ///< enable/disable --skip-access-check: no rights preflight

  // How to behave.
  bool yes = false;            ///< --yes: confirm the API server restart, or a disable
  std::string output = "text"; ///< --output text|json
  bool no_color = false;       ///< --no-color (NO_COLOR does the same)
  bool quiet = false;          ///< --quiet: errors and the final outputs only
  int verbosity = 0;           ///< -v (debug), -vv (trace)
};

} // namespace wisetup::cli
