#pragma once

#include <string>
#include <string_view>

namespace wisetup::core {

/// The endpoints of one Azure cloud, in the shape `az cloud show -o json` prints.
struct Cloud {
  std::string name;
  std::string resource_manager; ///< endpoints.resourceManager, no trailing slash
  std::string active_directory; ///< endpoints.activeDirectory (authority host), no slash
  std::string active_directory_resource_id; ///< endpoints.activeDirectoryResourceId (ARM audience)
  std::string microsoft_graph_resource_id;  ///< endpoints.microsoftGraphResourceId
  /// suffixes.keyvaultDns, with its leading dot: ".vault.azure.net"; empty when a cloud file
  /// has none.
  std::string key_vault_dns_suffix;
  /// The scope to request for ARM tokens: "<activeDirectoryResourceId>/.default".
  [[nodiscard]] std::string arm_scope() const;
};

/// The audience of Key Vault data-plane tokens: "https://" + the cloud's key vault DNS suffix
/// without its leading dot ("https://vault.azure.net"); request "<audience>/.default". Throws
/// InvalidInput naming suffixes.keyvaultDns when the cloud has none.
[[nodiscard]] std::string key_vault_audience(Cloud const& cloud);

/// AzureCloud, AzureUSGovernment or AzureChinaCloud; throws InvalidInput naming the choices.
[[nodiscard]] Cloud builtin_cloud(std::string_view name);

/// Parses a cloud file (JSON, `az cloud show` shape); throws InvalidInput naming the file and
/// the missing or malformed field.
[[nodiscard]] Cloud parse_cloud_file(std::string_view path, std::string_view json_text);

/// A built-in name, or else the path of a cloud file to read.
[[nodiscard]] Cloud load_cloud(std::string_view name_or_path);

} // namespace wisetup::core
