#pragma once

#include <optional>
#include <string>
#include <string_view>

/// Azure's and Kubernetes' rules for the names wi-setup is given, checked before any request so
/// a typo fails at once with the rule it breaks. Each returns nullopt when `value` is valid, else
/// the rule in words.
namespace wisetup::cli::name_rules {

[[nodiscard]] std::optional<std::string> subscription_id(std::string_view value);
[[nodiscard]] std::optional<std::string> resource_group(std::string_view value);
[[nodiscard]] std::optional<std::string> cluster(std::string_view value);
[[nodiscard]] std::optional<std::string> managed_identity(std::string_view value);
[[nodiscard]] std::optional<std::string> key_vault(std::string_view value);
[[nodiscard]] std::optional<std::string> location(std::string_view value);
[[nodiscard]] std::optional<std::string> kube_namespace(std::string_view value);
[[nodiscard]] std::optional<std::string> service_account(std::string_view value);
[[nodiscard]] std::optional<std::string> federated_credential(std::string_view value);
[[nodiscard]] std::optional<std::string> audience(std::string_view value);

/// The default credential name for a service account: "NS-SA" with dots as dashes, which always
/// satisfies the credential name rule when NS and SA satisfy theirs (cut to 120 characters).
[[nodiscard]] std::string default_federated_credential(std::string_view kube_namespace,
                                                       std::string_view service_account);

} // namespace wisetup::cli::name_rules
