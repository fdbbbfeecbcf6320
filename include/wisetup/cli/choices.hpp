#pragma once

#include <array>
#include <string_view>

/// The fixed values of the flags that take one; the CLI checks them, completion offers them.
namespace wisetup::cli::choices {

inline constexpr std::array<std::string_view, 6> k_auth{
    "default", "environment", "workload-identity", "managed-identity", "azure-cli", "device-code"};
inline constexpr std::array<std::string_view, 2> k_output{"text", "json"};
/// --cloud also takes a cloud file.
inline constexpr std::array<std::string_view, 3> k_cloud{
    "AzureCloud", "AzureUSGovernment", "AzureChinaCloud"};
inline constexpr std::array<std::string_view, 3> k_shells{"bash", "zsh", "fish"};

} // namespace wisetup::cli::choices
