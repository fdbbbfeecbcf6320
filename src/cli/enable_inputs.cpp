#include <wisetup/cli/enable_inputs.hpp>
#include <wisetup/cli/name_rules.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>

namespace wisetup::cli {
namespace {

using Rule = std::function<std::optional<std::string>(std::string_view)>;

/// Collects every problem so that one run reports them all.
class Problems {
public:
  /// A value that must be given.
  void required(std::string const& value,
                std::string_view flag,
                std::string_view variable,
                Rule const& rule) {
    if (value.empty()) {
      add("missing " + std::string(flag) +
          (variable.empty() ? "" : " (or set $" + std::string(variable) + ")"));
      return;
    }
    optional(value, flag, rule);
  }

  /// A value that may be empty.
  void optional(std::string const& value, std::string_view flag, Rule const& rule) {
    if (value.empty()) {
      return;
    }
    if (auto broken = rule(value)) {
      add(std::string(flag) + " \"" + value + "\" is invalid: " + *broken);
    }
  }

  void add(std::string problem) { m_list.push_back(std::move(problem)); }

  void throw_if_any() const {
    if (m_list.empty()) {
      return;
    }
    std::string message = m_list.size() == 1 ? m_list.front() : "invalid input:";
    if (m_list.size() > 1) {
      for (auto const& problem : m_list) {
        message += "\n  - " + problem;
      }
    }
    throw core::InvalidInput(message);
  }

private:
  std::vector<std::string> m_list;
};

// Permission names of the Key Vault access-policy spec (lower-case, except wrapKey/unwrapKey).
constexpr std::array k_key_permissions{"all",
                                       "encrypt",
                                       "decrypt",
                                       "wrapKey",
                                       "unwrapKey",
                                       "sign",
                                       "verify",
                                       "get",
                                       "list",
                                       "create",
                                       "update",
                                       "import",
                                       "delete",
                                       "backup",
                                       "restore",
                                       "recover",
                                       "purge",
                                       "release",
                                       "rotate",
                                       "getrotationpolicy",
                                       "setrotationpolicy"};
constexpr std::array k_secret_permissions{
    "all", "get", "list", "set", "delete", "backup", "restore", "recover", "purge"};
constexpr std::array k_certificate_permissions{"all",
                                               "get",
                                               "list",
                                               "delete",
                                               "create",
                                               "import",
                                               "update",
                                               "managecontacts",
                                               "getissuers",
                                               "listissuers",
                                               "setissuers",
                                               "deleteissuers",
                                               "manageissuers",
                                               "recover",
                                               "purge",
                                               "backup",
                                               "restore"};

/// Spec casing for each given permission; "none" alone means no permission of that kind.
template <std::size_t N>
std::vector<std::string> permissions(std::vector<std::string> const& given,
                                     std::array<char const*, N> const& allowed,
                                     std::string_view flag,
                                     Problems& problems) {
  std::vector<std::string> result;
  for (auto const& value : given) {
    if (core::to_lower(value) == "none" && given.size() == 1) {
      return {};
    }
    auto const found = std::find_if(allowed.begin(), allowed.end(), [&](char const* name) {
      return core::to_lower(name) == core::to_lower(value);
    });
    if (found == allowed.end()) {
      problems.add(std::string(flag) + " \"" + value + "\" is not a permission; use none or " +
                   core::join(allowed, ", "));
    } else if (std::find(result.begin(), result.end(), *found) == result.end()) {
      result.emplace_back(*found);
    }
  }
  return result;
}

} // namespace

std::optional<std::chrono::seconds> parse_timeout(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) != 0) {
    ++digits;
  }
  auto const unit = text.substr(digits);
  if (digits == 0 || digits > 6 || unit.size() > 1) {
    return std::nullopt;
  }
  long const number = std::stol(std::string(text.substr(0, digits)));
  long const scale = unit.empty() || unit == "m" ? 60 : unit == "s" ? 1 : unit == "h" ? 3600 : 0;
  if (number <= 0 || scale == 0) {
    return std::nullopt;
  }
  return std::chrono::seconds{number * scale};
}

EnableInputs resolve_inputs(CommandOptions const& options) {
  Problems problems;
  if (options.subscription.empty()) {
    problems.add("missing --subscription (or set $AZURE_SUBSCRIPTION_ID, or sign in with `az "
                 "login`, whose default subscription is then used)");
  } else {
    problems.optional(options.subscription, "--subscription", name_rules::subscription_id);
  }
  problems.required(
      options.resource_group, "--resource-group", "RESOURCE_GROUP", name_rules::resource_group);
  problems.required(options.cluster, "--cluster", "AKSCLUSTER", name_rules::cluster);
  problems.required(
      options.identity, "--identity", "USER_ASSIGNED_IDENTITY_NAME", name_rules::managed_identity);
  problems.optional(
      options.identity_resource_group, "--identity-resource-group", name_rules::resource_group);
  problems.optional(options.location, "--location", name_rules::location);
  problems.optional(options.keyvault, "--keyvault", name_rules::key_vault);
  problems.optional(
      options.keyvault_resource_group, "--keyvault-resource-group", name_rules::resource_group);
  problems.required(options.kube_namespace, "--namespace", "NAMESPACE", name_rules::kube_namespace);
  problems.required(options.service_account,
                    "--service-account",
                    "SERVICE_ACCOUNT_NAME",
                    name_rules::service_account);
  problems.optional(
      options.federated_credential, "--federated-credential", name_rules::federated_credential);
  problems.required(options.audience, "--audience", "", name_rules::audience);
  if (!options.keyvault_resource_group.empty() && options.keyvault.empty()) {
    problems.add("--keyvault-resource-group is given but no --keyvault (or $KEYVAULT_NAME)");
  }
  auto const timeout = parse_timeout(options.timeout);
  if (!timeout) {
    problems.add("--timeout \"" + options.timeout +
                 "\" is invalid: give minutes (30), or a number with s, m or h (90s, 2h)");
  }

  EnableInputs inputs;
  inputs.timeout = timeout.value_or(std::chrono::seconds{0});
  inputs.permissions.keys =
      permissions(options.key_permissions, k_key_permissions, "--key-permissions", problems);
  inputs.permissions.secrets = permissions(
      options.secret_permissions, k_secret_permissions, "--secret-permissions", problems);
  inputs.permissions.certificates = permissions(options.certificate_permissions,
                                                k_certificate_permissions,
                                                "--certificate-permissions",
                                                problems);
  if (!options.keyvault.empty() && inputs.permissions.keys.empty() &&
      inputs.permissions.secrets.empty() && inputs.permissions.certificates.empty()) {
    problems.add("--keyvault is given but every permission list is none; grant at least one");
  }
  problems.throw_if_any();

  auto in_group = [&](std::string const& group, std::string const& name) {
    return azure::ResourceRef{
        options.subscription, group.empty() ? options.resource_group : group, name};
  };
  inputs.cluster = in_group("", options.cluster);
  inputs.identity = in_group(options.identity_resource_group, options.identity);
  if (!options.location.empty()) {
    inputs.location = options.location;
  }
  if (!options.keyvault.empty()) {
    inputs.key_vault = in_group(options.keyvault_resource_group, options.keyvault);
  }
  inputs.kube_namespace = options.kube_namespace;
  inputs.service_account = options.service_account;
  inputs.federated_credential = options.federated_credential.empty()
                                    ? name_rules::default_federated_credential(
                                          options.kube_namespace, options.service_account)
                                    : options.federated_credential;
  inputs.audience = options.audience;
  return inputs;
}

} // namespace wisetup::cli
