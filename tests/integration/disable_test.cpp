// End-to-end: `wi-setup disable` against wi-setup-sim: it removes what enable made and nothing
// else; the simulator's state before and after (compared as JSON) and its request log are the
// evidence.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

namespace wisetup::integration {
namespace {

std::string const k_group =
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/myResourceGroup";
std::string const k_cluster_suffix = "/managedClusters/myAKSCluster";
std::string const k_identity_path =
    k_group + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myIdentity";
std::string const k_credential_path =
    k_identity_path + "/federatedIdentityCredentials/myFedIdentity";
std::string const k_vault_suffix = "/vaults/keyvault-workload-id";
std::string const k_account = "default/workload-identity-sa";
std::string const k_other_identity_id =
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/myResourceGroup/providers/"
    "Microsoft.ManagedIdentity/userAssignedIdentities/otherIdentity";

/// The default world plus another workload's identity and federated credential.
nlohmann::json seed_with_another_identity() {
  auto seed = Simulator::default_seed();
  seed["resources"].push_back(
      {{"id", k_other_identity_id}, {"location", "eastus"}, {"tags", {{"team", "payments"}}}});
  seed["resources"].push_back(
      {{"id", k_other_identity_id + "/federatedIdentityCredentials/payments-api"},
       {"properties",
        {{"issuer", "cluster:myOidcCluster"},
         {"subject", "system:serviceaccount:payments:api"},
         {"audiences", {"api://AzureADTokenExchange"}}}}});
  return seed;
}

void enable(Simulator const& simulator, std::map<std::string, std::string> const& environment) {
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
}

ProcessResult disable(Simulator const& simulator,
                      std::map<std::string, std::string> const& environment,
                      std::vector<std::string> const& arguments) {
  std::vector<std::string> all{"disable"};
  all.insert(all.end(), arguments.begin(), arguments.end());
  return run_wi_setup(simulator, all, environment);
}

/// `state` without the resource whose id ends with `suffix`.
nlohmann::json resources_without(nlohmann::json const& state, std::string const& suffix) {
  auto resources = state.at("resources");
  for (auto const& [id, resource] : state.at("resources").items()) {
    if (id.size() >= suffix.size() &&
        id.compare(id.size() - suffix.size(), suffix.size(), suffix) == 0) {
      resources.erase(id);
    }
  }
  return resources;
}

std::vector<nlohmann::json> policies_of(nlohmann::json const& state,
                                        std::string const& principal_id) {
  auto const vault = find_resource(state, k_vault_suffix);
  if (!vault) {
    throw std::runtime_error("the vault keyvault-workload-id is missing");
  }
  std::vector<nlohmann::json> found;
  for (auto const& policy : vault->at("properties").at("accessPolicies")) {
    if (policy.at("objectId") == principal_id) {
      found.push_back(policy);
    }
  }
  return found;
}

std::string principal_of(nlohmann::json const& state) {
  return (*find_resource(state, k_identity_path))["properties"]["principalId"].get<std::string>();
}

TEST(DisableTest, RemovesWhatEnableMadeAndKeepsEverythingSeeded) {
  Simulator simulator{seeded(seed_with_another_identity())};
  auto const environment = tutorial_environment(simulator);
  auto const seeded_state = simulator.state();
  enable(simulator, environment);
  auto const enabled = simulator.state();
  auto const principal_id = principal_of(enabled);
  ASSERT_FALSE(policies_of(enabled, principal_id).empty());
  ASSERT_TRUE(kubernetes_of(enabled)["serviceAccounts"].contains(k_account));
  ASSERT_TRUE(find_resource(enabled, k_credential_path));

  auto const result = disable(simulator, environment, {"--yes", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["command"], "disable");
  for (auto const& step : document["steps"]) {
    EXPECT_EQ(step["status"], "deleted") << step.dump();
  }
  auto const after = simulator.state();

  // Ours: gone.
  EXPECT_FALSE(find_resource(after, k_credential_path));
  EXPECT_FALSE(find_resource(after, k_identity_path));
  EXPECT_TRUE(resources_containing(after, "/userAssignedIdentities/myIdentity").empty());
  EXPECT_FALSE(kubernetes_of(after)["serviceAccounts"].contains(k_account));
  EXPECT_TRUE(policies_of(after, principal_id).empty());

  // Everything seeded: byte for byte as before enable (the vault with the other principals'
  // policies, the other identity and its credential, ...), the cluster as enable left it.
  EXPECT_EQ(resources_without(after, k_cluster_suffix).dump(2),
            resources_without(seeded_state, k_cluster_suffix).dump(2));
  EXPECT_EQ(find_resource(after, k_cluster_suffix)->dump(2),
            find_resource(enabled, k_cluster_suffix)->dump(2));
  EXPECT_EQ(after["roleAssignments"].dump(2), seeded_state["roleAssignments"].dump(2));
  EXPECT_EQ(after["servicePrincipals"].dump(2), seeded_state["servicePrincipals"].dump(2));
  EXPECT_EQ(after["kubernetes"].dump(2), seeded_state["kubernetes"].dump(2));
}

TEST(DisableTest, SecondRunWritesNothingAndExits0) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  auto const first = disable(simulator, environment, {"--yes"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto const disabled = simulator.state();
  simulator.clear_requests();

  auto const second = disable(simulator, environment, {"--yes", "-o", "json"});
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  auto const log = simulator.requests();
  EXPECT_TRUE(writes(log).empty()) << log.dump(2);
  auto const after = simulator.state();
  EXPECT_EQ(after["resources"].dump(2), disabled["resources"].dump(2));
  EXPECT_EQ(after["kubernetes"].dump(2), disabled["kubernetes"].dump(2));
  auto const document = nlohmann::json::parse(second.out);
  for (auto const& step : document.at("steps")) {
    EXPECT_EQ(step["status"], "unchanged") << step.dump();
  }
}

TEST(DisableTest, KeepIdentityLeavesTheIdentity) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  auto const enabled = simulator.state();
  auto const principal_id = principal_of(enabled);

  auto const result = disable(simulator, environment, {"--yes", "--keep-identity"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const after = simulator.state();
  auto const identity = find_resource(after, k_identity_path);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->dump(2), find_resource(enabled, k_identity_path)->dump(2));
  EXPECT_FALSE(find_resource(after, k_credential_path));
  EXPECT_FALSE(kubernetes_of(after)["serviceAccounts"].contains(k_account));
  EXPECT_TRUE(policies_of(after, principal_id).empty());
}

TEST(DisableTest, ServiceAccountWeDidNotCreateKeepsItsOwnMetadata) {
  auto seed = Simulator::default_seed();
  seed["kubernetes"].begin().value()["serviceAccounts"].push_back(
      {{"metadata",
        {{"name", "workload-identity-sa"},
         {"namespace", "default"},
         {"labels", {{"team", "payments"}}},
         {"annotations", {{"owner", "alice"}}}}}});
  Simulator simulator{seeded(seed)};
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  auto const enabled = simulator.state();
  auto const& annotated = kubernetes_of(enabled)["serviceAccounts"][k_account]["metadata"];
  ASSERT_TRUE(annotated["annotations"].contains("azure.workload.identity/client-id"));
  ASSERT_TRUE(annotated["annotations"].contains("azure.workload.identity/tenant-id"));

  auto const result = disable(simulator, environment, {"--yes"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const after = simulator.state();
  auto const& accounts = kubernetes_of(after)["serviceAccounts"];
  ASSERT_TRUE(accounts.contains(k_account)) << accounts.dump(2);
  auto const& metadata = accounts[k_account]["metadata"];
  EXPECT_EQ(metadata["labels"], nlohmann::json({{"team", "payments"}}));
  EXPECT_EQ(metadata["annotations"], nlohmann::json({{"owner", "alice"}}));
  // The same object, not a recreated one.
  ASSERT_TRUE(metadata.contains("uid") && annotated.contains("uid")) << metadata.dump(2);
  EXPECT_EQ(metadata.at("uid"), annotated.at("uid"));
  EXPECT_FALSE(find_resource(after, k_identity_path));
}

TEST(DisableTest, WithoutYesAndNoTerminalIsDeclinedAndWritesNothing) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  auto const enabled = simulator.state();

  simulator.clear_requests();
  auto const declined = disable(simulator, environment, {});
  EXPECT_EQ(declined.exit_code, 7) << declined.out << declined.err;
  auto log = simulator.requests();
  EXPECT_TRUE(writes(log).empty()) << log.dump(2);

  simulator.clear_requests();
  auto const dry_run = disable(simulator, environment, {"--dry-run", "-o", "json"});
  EXPECT_EQ(dry_run.exit_code, 8) << dry_run.out << dry_run.err;
  log = simulator.requests();
  EXPECT_TRUE(writes(log).empty()) << log.dump(2);
  auto const document = nlohmann::json::parse(dry_run.out);
  EXPECT_EQ(document.at("dryRun"), true);
  EXPECT_EQ(document.at("changesPending"), true);
  EXPECT_EQ(document.at("steps").size(), 4U) << document.dump(2);
  for (auto const& step : document.at("steps")) {
    EXPECT_EQ(step["change"], "delete") << step.dump();
  }

  auto const after = simulator.state();
  EXPECT_EQ(after["resources"].dump(2), enabled["resources"].dump(2));
  EXPECT_EQ(after["kubernetes"].dump(2), enabled["kubernetes"].dump(2));
}

TEST(DisableTest, IdentityWithAnotherWorkloadsCredentialIsKept) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  auto const issuer = (*find_resource(
      simulator.state(), k_cluster_suffix))["properties"]["oidcIssuerProfile"]["issuerURL"];
  std::string const other_path = k_identity_path + "/federatedIdentityCredentials/other-workload";
  simulator.arm("PUT",
                other_path + "?api-version=2023-01-31",
                {{"properties",
                  {{"issuer", issuer},
                   {"subject", "system:serviceaccount:apps:worker"},
                   {"audiences", {"api://AzureADTokenExchange"}}}}});
  auto const shared = simulator.state();
  ASSERT_TRUE(find_resource(shared, other_path));

  auto const result = disable(simulator, environment, {"--yes"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const after = simulator.state();
  auto const identity = find_resource(after, k_identity_path);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->dump(2), find_resource(shared, k_identity_path)->dump(2));
  auto const other = find_resource(after, other_path);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->dump(2), find_resource(shared, other_path)->dump(2));
  EXPECT_FALSE(find_resource(after, k_credential_path));
  // The other workload shares the identity's vault access: it stays.
  auto const vault = find_resource(after, "/vaults/keyvault-workload-id");
  ASSERT_TRUE(vault);
  EXPECT_EQ(vault->dump(2), find_resource(shared, "/vaults/keyvault-workload-id")->dump(2));
}

} // namespace
} // namespace wisetup::integration
