#include <wisetup/cli/name_rules.hpp>

#include <algorithm>
#include <cstddef>

// Each rule is a length range and the characters allowed first, in the middle and last. Written
// out rather than as std::regex: a regex such as [a-z]{2,127} compiles to one state per repetition,
// and the nine rules cost 150 KB of heap and 70 KB of code (decision 0012).
namespace wisetup::cli::name_rules {
namespace {

using CharacterClass = bool (*)(char);

bool lower_or_digit(char character) {
  return (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9');
}

bool letter(char character) {
  return (character >= 'A' && character <= 'Z') || (character >= 'a' && character <= 'z');
}

bool letter_or_digit(char character) {
  return letter(character) || (character >= '0' && character <= '9');
}

bool hex_digit(char character) {
  return (character >= '0' && character <= '9') || (character >= 'a' && character <= 'f') ||
         (character >= 'A' && character <= 'F');
}

/// Letters, digits, '-' and '_': ARM's usual name alphabet.
bool arm_name(char character) {
  return letter_or_digit(character) || character == '-' || character == '_';
}

bool resource_group_name(char character) {
  return arm_name(character) || character == '.' || character == '(' || character == ')';
}

bool resource_group_end(char character) {
  return resource_group_name(character) && character != '.';
}

bool dns_label_middle(char character) {
  return lower_or_digit(character) || character == '-';
}

bool key_vault_middle(char character) {
  return letter_or_digit(character) || character == '-';
}

struct Shape {
  std::size_t min_size;
  std::size_t max_size;
  CharacterClass first;
  CharacterClass middle;
  CharacterClass last;
};

bool fits(std::string_view value, Shape const& shape) {
  if (value.size() < shape.min_size || value.size() > shape.max_size) {
    return false;
  }
  if (!shape.first(value.front()) || !shape.last(value.back())) {
    return false;
  }
  return value.size() < 3 || std::all_of(value.begin() + 1, value.end() - 1, shape.middle);
}

std::optional<std::string> check(bool allowed, char const* words) {
  if (allowed) {
    return std::nullopt;
  }
  return std::string(words);
}

/// 8-4-4-4-12 hexadecimal digits.
bool guid(std::string_view value) {
  if (value.size() != 36) {
    return false;
  }
  for (std::size_t index = 0; index < value.size(); ++index) {
    bool const dash = index == 8 || index == 13 || index == 18 || index == 23;
    if (dash ? value[index] != '-' : !hex_digit(value[index])) {
      return false;
    }
  }
  return true;
}

/// DNS-1123 labels joined by '.'.
bool dns_subdomain(std::string_view value) {
  while (true) {
    auto const dot = value.find('.');
    if (!fits(value.substr(0, dot),
              Shape{1, value.size(), lower_or_digit, dns_label_middle, lower_or_digit})) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    value.remove_prefix(dot + 1);
  }
}

} // namespace

std::optional<std::string> subscription_id(std::string_view value) {
  return check(guid(value), "a subscription id is a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
}

std::optional<std::string> resource_group(std::string_view value) {
  return check(
      fits(value, Shape{1, 90, resource_group_name, resource_group_name, resource_group_end}),
      "a resource group name has 1 to 90 letters, digits, '-', '_', '.', '(' or ')' and "
      "does not end with '.'");
}

std::optional<std::string> cluster(std::string_view value) {
  return check(fits(value, Shape{1, 63, letter_or_digit, arm_name, letter_or_digit}),
               "an AKS cluster name has 1 to 63 letters, digits, '-' or '_', and starts and ends "
               "with a letter or digit");
}

std::optional<std::string> managed_identity(std::string_view value) {
  return check(fits(value, Shape{3, 128, letter_or_digit, arm_name, arm_name}),
               "a managed identity name has 3 to 128 letters, digits, '-' or '_', and starts with "
               "a letter or digit");
}

std::optional<std::string> key_vault(std::string_view value) {
  return check(fits(value, Shape{3, 24, letter, key_vault_middle, letter_or_digit}) &&
                   value.find("--") == std::string_view::npos,
               "a Key Vault name has 3 to 24 letters, digits or single '-', starts with a letter "
               "and ends with a letter or digit");
}

std::optional<std::string> location(std::string_view value) {
  return check(fits(value, Shape{1, 64, lower_or_digit, lower_or_digit, lower_or_digit}),
               "a location is a region name in lower case without spaces, such as eastus or "
               "westeurope (see `az account list-locations -o table`)");
}

std::optional<std::string> kube_namespace(std::string_view value) {
  return check(fits(value, Shape{1, 63, lower_or_digit, dns_label_middle, lower_or_digit}),
               "a namespace is a DNS-1123 label: 1 to 63 lower-case letters, digits or '-', "
               "starting and ending with a letter or digit");
}

std::optional<std::string> service_account(std::string_view value) {
  if (value.size() > 253) {
    return "a service account name has at most 253 characters";
  }
  return check(dns_subdomain(value),
               "a service account name is a DNS-1123 subdomain: lower-case letters, digits, '-' "
               "and '.', starting and ending with a letter or digit");
}

std::optional<std::string> federated_credential(std::string_view value) {
  return check(fits(value, Shape{3, 120, letter_or_digit, arm_name, arm_name}),
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
  std::replace(name.begin(), name.end(), '.', '-');
  return name.substr(0, 120);
}

} // namespace wisetup::cli::name_rules
