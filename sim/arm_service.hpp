#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

#include <optional>
#include <string>

namespace wisetup::sim {

/// Serves one Azure Resource Manager request (/subscriptions/...): authentication, api-version,
/// subscription, permission and resource-group checks, then the resource's handler.
void handle_arm(SimulatorContext& context,
                httplib::Request const& request,
                httplib::Response& response);

/// True when `principal` may perform `action` (reader-only and denied-action rules).
[[nodiscard]] bool action_allowed(ServicePrincipal const& principal, std::string const& action);

/// The issued token presented as "Authorization: Bearer ...", if it is one this simulator issued
/// and still valid, for `audiences`. On failure sets `code` and `message` to ARM's wording.
struct BearerCheck {
  std::optional<IssuedToken> token;
  std::string code;
  std::string message;
};
[[nodiscard]] BearerCheck check_bearer(SimulatorContext& context,
                                       httplib::Request const& request,
                                       std::vector<std::string> const& audiences);

} // namespace wisetup::sim
