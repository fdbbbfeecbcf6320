#include <wisetup/core/error.hpp>
#include <wisetup/identity/credential_options.hpp>

#include <array>
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
  std::string choices;
  for (auto const& [kind, name] : k_names) {
    if (name == text) {
      return kind;
    }
    choices += (choices.empty() ? "" : ", ") + std::string(name);
  }
  throw core::InvalidInput("--auth \"" + std::string(text) +
                           "\" is not a way to sign in; use one of " + choices);
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
