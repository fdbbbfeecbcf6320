#include "sim/arm_handlers.hpp"
#include "sim/encoding.hpp"

namespace wisetup::sim {

ArmReply get_subscription(ArmCall& call) {
  Subscription const* subscription = call.state.subscription(call.params.at(0));
  return {200,
          {{"id", "/subscriptions/" + subscription->id},
           {"subscriptionId", subscription->id},
           {"tenantId", call.state.tenant_id},
           {"displayName", subscription->display_name},
           {"state", "Enabled"},
           {"subscriptionPolicies",
            {{"locationPlacementId", "Public_2014-09-01"},
             {"quotaId", "PayAsYouGo_2014-09-01"},
             {"spendingLimit", "Off"}}},
           {"authorizationSource", "RoleBased"}},
          {}};
}

ArmReply get_resource_group(ArmCall& call) {
  Subscription const* subscription = call.state.subscription(call.params.at(0));
  ResourceGroup const& group = subscription->resource_groups.at(to_lower(call.params.at(1)));
  return {200,
          {{"id", "/subscriptions/" + subscription->id + "/resourceGroups/" + group.name},
           {"name", group.name},
           {"type", "Microsoft.Resources/resourceGroups"},
           {"location", group.location},
           {"tags", group.tags},
           {"properties", {{"provisioningState", "Succeeded"}}}},
          {}};
}

} // namespace wisetup::sim
