#include <wisetup/core/cloud.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <fstream>
#include <sstream>

namespace wisetup::core {
namespace {

struct BuiltinCloud {
  std::string_view name;
  std::string_view resource_manager;
  std::string_view active_directory;
  std::string_view active_directory_resource_id;
  std::string_view microsoft_graph_resource_id;
  std::string_view key_vault_dns_suffix;
};

// Endpoints as `az cloud show` prints them for the three public clouds.
constexpr std::array<BuiltinCloud, 3> k_builtin_clouds{{
    {"AzureCloud",
     "https://management.azure.com/",
     "https://login.microsoftonline.com",
     "https://management.core.windows.net/",
     "https://graph.microsoft.com/",
     ".vault.azure.net"},
    {"AzureUSGovernment",
     "https://management.usgovcloudapi.net/",
     "https://login.microsoftonline.us",
     "https://management.core.usgovcloudapi.net/",
     "https://graph.microsoft.us/",
     ".vault.usgovcloudapi.net"},
    {"AzureChinaCloud",
     "https://management.chinacloudapi.cn",
     "https://login.chinacloudapi.cn",
     "https://management.core.chinacloudapi.cn/",
     "https://microsoftgraph.chinacloudapi.cn/",
     ".vault.azure.cn"},
}};

std::string
required_endpoint(nlohmann::json const& endpoints, std::string_view field, std::string_view path) {
  auto found = endpoints.find(field);
  if (found == endpoints.end() || !found->is_string() || found->get<std::string>().empty()) {
    throw InvalidInput("cloud file " + std::string(path) + " has no endpoints." +
                       std::string(field) +
                       "; write it in the shape `az cloud show -o json` prints");
  }
  auto value = found->get<std::string>();
  if (!is_https_url(value)) {
    throw InvalidInput("cloud file " + std::string(path) + ": endpoints." + std::string(field) +
                       " is \"" + value + "\", which is not an https:// URL");
  }
  return value;
}

} // namespace

std::string key_vault_audience(Cloud const& cloud) {
  std::string_view suffix = cloud.key_vault_dns_suffix;
  while (!suffix.empty() && suffix.front() == '.') {
    suffix.remove_prefix(1);
  }
  if (suffix.empty()) {
    throw InvalidInput("the cloud " + cloud.name +
                       " names no Key Vault DNS suffix; add suffixes.keyvaultDns (for example "
                       "\".vault.azure.net\") to the cloud file");
  }
  return "https://" + std::string(suffix);
}

std::string Cloud::arm_scope() const {
  return without_trailing_slash(active_directory_resource_id) + "/.default";
}

Cloud builtin_cloud(std::string_view name) {
  for (auto const& cloud : k_builtin_clouds) {
    if (cloud.name == name) {
      return Cloud{std::string(cloud.name),
                   without_trailing_slash(std::string(cloud.resource_manager)),
                   without_trailing_slash(std::string(cloud.active_directory)),
                   std::string(cloud.active_directory_resource_id),
                   std::string(cloud.microsoft_graph_resource_id),
                   std::string(cloud.key_vault_dns_suffix)};
    }
  }
  throw InvalidInput("unknown cloud \"" + std::string(name) +
                     "\"; use AzureCloud, AzureUSGovernment, AzureChinaCloud or the path of a "
                     "cloud file (JSON as `az cloud show -o json` prints it)");
}

Cloud parse_cloud_file(std::string_view path, std::string_view json_text) {
  auto document = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    throw InvalidInput("cloud file " + std::string(path) + " is not a JSON object");
  }
  auto endpoints = document.find("endpoints");
  if (endpoints == document.end() || !endpoints->is_object()) {
    throw InvalidInput("cloud file " + std::string(path) +
                       " has no \"endpoints\" object; write it in the shape "
                       "`az cloud show -o json` prints");
  }
  Cloud cloud;
  auto const name = document.find("name");
  cloud.name =
      name != document.end() && name->is_string() ? name->get<std::string>() : std::string(path);
  cloud.resource_manager =
      without_trailing_slash(required_endpoint(*endpoints, "resourceManager", path));
  cloud.active_directory =
      without_trailing_slash(required_endpoint(*endpoints, "activeDirectory", path));
  cloud.active_directory_resource_id =
      required_endpoint(*endpoints, "activeDirectoryResourceId", path);
  cloud.microsoft_graph_resource_id =
      required_endpoint(*endpoints, "microsoftGraphResourceId", path);
  // Optional: only the Key Vault data-plane checks need it (key_vault_audience names it).
  if (auto const suffixes = document.find("suffixes");
      suffixes != document.end() && suffixes->is_object()) {
    auto const dns = suffixes->find("keyvaultDns");
    if (dns != suffixes->end() && dns->is_string()) {
      cloud.key_vault_dns_suffix = dns->get<std::string>();
    }
  }
  return cloud;
}

Cloud load_cloud(std::string_view name_or_path) {
  for (auto const& cloud : k_builtin_clouds) {
    if (cloud.name == name_or_path) {
      return builtin_cloud(name_or_path);
    }
  }
  if (name_or_path.find('/') == std::string_view::npos &&
      name_or_path.find(".json") == std::string_view::npos) {
    return builtin_cloud(name_or_path); // throws with the list of names
  }
  std::ifstream file{std::string(name_or_path)};
  if (!file) {
    throw InvalidInput("cannot read cloud file " + std::string(name_or_path) +
                       "; pass an existing file or one of AzureCloud, AzureUSGovernment, "
                       "AzureChinaCloud to --cloud");
  }
  std::stringstream text;
  text << file.rdbuf();
  return parse_cloud_file(name_or_path, text.str());
}

} // namespace wisetup::core
