// GET {scope}/providers/Microsoft.Authorization/permissions (reference: "ARM effective
// permissions"): the caller's rights as one entry, the shape of a role's permissions.
#include "sim/arm_handlers.hpp"

namespace wisetup::sim {

ArmReply list_permissions(ArmCall& call) {
  check_scope_exists(call, call.params.at(0));
  ServicePrincipal const& caller = call.caller;
  nlohmann::json actions = nlohmann::json::array();
  if (caller.reader_only) {
    actions.push_back("*/read");
  } else if (!caller.allowed_actions.empty()) {
    actions = caller.allowed_actions;
  } else {
    actions.push_back("*");
  }
  nlohmann::json const entry = {{"actions", std::move(actions)},
                                {"notActions", caller.denied_actions},
                                {"dataActions", nlohmann::json::array()},
                                {"notDataActions", nlohmann::json::array()}};
  return {200, {{"value", nlohmann::json::array({entry})}}, {}};
}

} // namespace wisetup::sim
