#pragma once

#include <wisetup/azure/arm_client.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace wisetup::azure {

/// One entry of the caller's effective permissions at a scope: what one role assignment (or
/// classic administrator) grants there.
struct Permission {
  std::vector<std::string> actions;
  std::vector<std::string> not_actions;
};

/// Whether an ARM action pattern ("Microsoft.KeyVault/*", "*/read", "*") covers `action`:
/// '*' matches any run of characters, letters compare without regard to case.
[[nodiscard]] bool action_matches(std::string_view pattern, std::string_view action);

/// Whether some entry's actions cover `action` and none of that entry's notActions do, as ARM
/// decides it (a notAction takes away only what its own entry grants).
[[nodiscard]] bool allows(std::vector<Permission> const& permissions, std::string_view action);

/// GET {scope}/providers/Microsoft.Authorization/permissions: the signed-in caller's effective
/// permissions at a resource or resource group (inherited ones included), following nextLink.
class PermissionsClient {
public:
  static constexpr std::string_view k_api_version = "2022-04-01";
  explicit PermissionsClient(ArmClient const& arm) : m_arm(arm) {}

  /// Throws http::ServiceError on a non-2xx answer (a scope that does not exist included).
  [[nodiscard]] std::vector<Permission> effective(std::string const& scope) const;

private:
  ArmClient const& m_arm;
};

} // namespace wisetup::azure
