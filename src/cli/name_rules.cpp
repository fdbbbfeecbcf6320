#include <wisetup/cli/name_rules.hpp>

#include <regex>

namespace wisetup::cli::name_rules {
namespace {

std::optional<std::string>
check(std::string_view value, std::regex const& rule, char const* words) {
  if (std::regex_match(value.begin(), value.end(), rule)) {
    return std::nullopt;
  }
  return std::string(words);
}

} // namespace

std::optional<std::string> subscription_id(std::string_view value) {
  static std::regex const rule{
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"};
  return check(value, rule, "a subscription id is a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
}

std::optional<std::string> resource_group(std::string_view value) {
  static std::regex const rule{R"([-\w._()]{0,89}[-\w_()])"};
  return check(value,
               rule,
               "a resource group name has 1 to 90 letters, digits, '-', '_', '.', '(' or ')' and "
               "does not end with '.'");
}

std::optional<std::string> cluster(std::string_view value) {
  static std::regex const rule{"[a-zA-Z0-9]|[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]"};
  return check(value,
               rule,
               "an AKS cluster name has 1 to 63 letters, digits, '-' or '_', and starts and ends "
               "with a letter or digit");
}

std::optional<std::string> managed_identity(std::string_view value) {
  static std::regex const rule{"[a-zA-Z0-9][-_a-zA-Z0-9]{2,127}"};
  return check(value,
               rule,
               "a managed identity name has 3 to 128 letters, digits, '-' or '_', and starts with "
               "a letter or digit");
}

std::optional<std::string> key_vault(std::string_view value) {
  static std::regex const rule{"[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){1,22}[a-zA-Z0-9]"};
  return check(value,
               rule,
               "a Key Vault name has 3 to 24 letters, digits or single '-', starts with a letter "
               "and ends with a letter or digit");
}

std::optional<std::string> location(std::string_view value) {
  static std::regex const rule{"[a-z0-9]{1,64}"};
  return check(value,
               rule,
               "a location is a region name in lower case without spaces, such as eastus or "
               "westeurope (see `az account list-locations -o table`)");
}

std::optional<std::string> kube_namespace(std::string_view value) {
  static std::regex const rule{"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"};
  return check(value,
               rule,
               "a namespace is a DNS-1123 label: 1 to 63 lower-case letters, digits or '-', "
               "starting and ending with a letter or digit");
}

std::optional<std::string> service_account(std::string_view value) {
  static std::regex const rule{
      R"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)"};
  if (value.size() > 253) {
    return "a service account name has at most 253 characters";
  }
  return check(value,
               rule,
               "a service account name is a DNS-1123 subdomain: lower-case letters, digits, '-' "
               "and '.', starting and ending with a letter or digit");
}

std::optional<std::string> federated_credential(std::string_view value) {
  static std::regex const rule{"[a-zA-Z0-9][-_a-zA-Z0-9]{2,119}"};
  return check(value,
               rule,
               "a federated credential name has 3 to 120 letters, digits, '-' or '_', and starts "
               "with a letter or digit");
}

std::optional<std::string> audience(std::string_view value) {
  if (value.empty() || value.size() > 600) {
    return "an audience has 1 to 600 characters";
  }
  if (value.find_first_of(" \t\r\n*") != std::string_view::npos) {
    return "an audience has no spaces and no wildcards";
  }
  return std::nullopt;
}

std::string default_federated_credential(std::string_view kube_namespace,
                                         std::string_view service_account) {
  std::string name = std::string(kube_namespace) + "-" + std::string(service_account);
  for (auto& character : name) {
    if (character == '.') {
      character = '-';
    }
  }
  return name.substr(0, 120);
}

} // namespace wisetup::cli::name_rules
