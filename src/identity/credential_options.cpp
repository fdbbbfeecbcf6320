#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/identity/credential_options.hpp>

#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace wisetup::identity {
namespace {

constexpr std::array<std::pair<AuthKind, std::string_view>, 6> k_names{{
    {AuthKind::Default, "default"},
    {AuthKind::Environment, "environment"},
    {AuthKind::WorkloadIdentity, "workload-identity"},
    {AuthKind::ManagedIdentity, "managed-identity"},
    {AuthKind::AzureCli, "azure-cli"},
    {AuthKind::DeviceCode, "device-code"},
}};

} // namespace

AuthKind parse_auth_kind(std::string_view text) {
  for (auto const& [kind, name] : k_names) {
    if (name == text) {
      return kind;
    }
  }
  std::vector<std::string_view> names; // a loop, not views::values: see chained_token_credential
  for (auto const& [kind, name] : k_names) {
    names.push_back(name);
  }
  throw core::InvalidInput("--auth \"" + std::string(text) +
                           "\" is not a way to sign in; use one of " + core::join(names, ", "));
}

std::string_view to_string(AuthKind kind) {
  for (auto const& [known, name] : k_names) {
    if (known == kind) {
      return name;
    }
  }
  return "unknown";
}

} // namespace wisetup::identity
