#include <wisetup/cli/common_options.hpp>

namespace wisetup::cli {

void add_common_options(CLI::App& command, EnableOptions& options) {
  auto const* connection = "Connection";
  command
      .add_option("--auth",
                  options.auth,
                  "How to sign in: default (environment, workload identity, managed identity, "
                  "Azure CLI, in that order), environment, workload-identity, managed-identity, "
                  "azure-cli or device-code")
      ->check(CLI::IsMember({"default",
                             "environment",
                             "workload-identity",
                             "managed-identity",
                             "azure-cli",
                             "device-code"}))
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
      .add_option("--timeout",
                  options.timeout_minutes,
                  "Minutes to wait for the cluster update before giving up")
      ->capture_default_str()
      ->group(connection);
  auto const* output = "Output";
  command.add_option("-o,--output", options.output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str()
      ->group(output);
  command
      .add_flag("-v,--verbose",
                options.verbosity,
                "Log requests (-v) and their allowed headers (-vv); secrets are never logged")
      ->group(output);
}

} // namespace wisetup::cli
