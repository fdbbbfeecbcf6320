#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/identity/credential_options.hpp>

#include <array>
#include <ranges>
#include <utility>

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
  throw core::InvalidInput("--auth \"" + std::string(text) +
                           "\" is not a way to sign in; use one of " +
                           core::join(k_names | std::views::values, ", "));
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
