#pragma once

#include "sim/arm_call.hpp"

namespace wisetup::sim {

// Handlers of the ARM routes (arm_service.cpp maps paths to them). Each receives an
// authenticated call whose api-version, subscription, permission and resource group (for
// resource-group-scoped routes) are already checked, and throws ArmError for error answers.

// arm_resource_groups.cpp
ArmReply get_subscription(ArmCall& call);
ArmReply get_resource_group(ArmCall& call);
ArmReply list_subscriptions(ArmCall& call); // params = {}
ArmReply list_tenants(ArmCall& call);       // params = {}
ArmReply list_resources(ArmCall& call);     // params = {sub[, rg]}; $filter, $top, $skiptoken

// arm_clusters.cpp: params = {sub, rg, cluster[, action]}; operation: {sub, location, name}
ArmReply get_cluster(ArmCall& call);
ArmReply put_cluster(ArmCall& call);
ArmReply patch_cluster(ArmCall& call);
ArmReply list_cluster_credential(ArmCall& call);
ArmReply get_cluster_operation(ArmCall& call);

// arm_identities.cpp: params = {sub, rg, identity[, credential]}
ArmReply get_identity(ArmCall& call);
ArmReply put_identity(ArmCall& call);
ArmReply patch_identity(ArmCall& call);
ArmReply delete_identity(ArmCall& call);
ArmReply list_federated_credentials(ArmCall& call);
ArmReply get_federated_credential(ArmCall& call);
ArmReply put_federated_credential(ArmCall& call);
ArmReply delete_federated_credential(ArmCall& call);

// arm_key_vaults.cpp: params = {sub, rg, vault[, operationKind]}
ArmReply get_vault(ArmCall& call);
ArmReply put_vault(ArmCall& call);
ArmReply put_access_policies(ArmCall& call);

// arm_role_assignments.cpp: params = {scope[, name]}
ArmReply get_role_assignment(ArmCall& call);
ArmReply put_role_assignment(ArmCall& call);
ArmReply delete_role_assignment(ArmCall& call);
ArmReply list_role_assignments(ArmCall& call);
/// Throws 404 for a scope whose resource group or (known) resource does not exist.
void check_scope_exists(ArmCall& call, std::string const& scope);

// arm_permissions.cpp: params = {scope}
ArmReply list_permissions(ArmCall& call);

} // namespace wisetup::sim
