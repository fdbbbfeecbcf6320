// End-to-end: the real wi-setup binary against wi-setup-sim; assertions on the simulator's state.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

namespace wisetup::integration {
namespace {

constexpr char const* k_cluster = "/managedClusters/myAKSCluster";
constexpr char const* k_identity = "/userAssignedIdentities/myIdentity";

/// The cluster as seeded, minus what enabling the features may change.
nlohmann::json unrelated_cluster_properties(nlohmann::json cluster) {
  cluster.erase("eTag");
  auto& properties = cluster["properties"];
  properties.erase("provisioningState");
  properties.erase("oidcIssuerProfile");
  properties["securityProfile"].erase("workloadIdentity");
  for (auto& pool : properties["agentPoolProfiles"]) {
    pool.erase("eTag"); // read-only, renewed by every write
  }
  return cluster;
}

std::vector<std::string> sorted(nlohmann::json const& list) {
  auto values = list.get<std::vector<std::string>>();
  std::sort(values.begin(), values.end());
  return values;
}

TEST(EnableTest, FirstRunDoesAllSixStepsAndKeepsEverythingElse) {
  Simulator simulator;
  auto const before = simulator.state();
  auto const result = run_enable(simulator, {"--yes"}, tutorial_environment(simulator));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const after = simulator.state();

  // 1, 2: features on, issuer URL set, every other cluster property as it was.
  auto const cluster = find_resource(after, k_cluster);
  ASSERT_TRUE(cluster);
  auto const& properties = (*cluster)["properties"];
  EXPECT_EQ(properties["oidcIssuerProfile"]["enabled"], true);
  EXPECT_EQ(properties["securityProfile"]["workloadIdentity"]["enabled"], true);
  auto const issuer = properties["oidcIssuerProfile"]["issuerURL"].get<std::string>();
  EXPECT_EQ(issuer.rfind("https://", 0), 0U);
  EXPECT_EQ(unrelated_cluster_properties(*cluster),
            unrelated_cluster_properties(*find_resource(before, k_cluster)));

  // 3: the identity.
  auto const identity = find_resource(after, k_identity);
  ASSERT_TRUE(identity);
  auto const client_id = (*identity)["properties"]["clientId"].get<std::string>();
  auto const principal_id = (*identity)["properties"]["principalId"].get<std::string>();
  auto const tenant_id = (*identity)["properties"]["tenantId"].get<std::string>();
  EXPECT_EQ((*identity)["location"], "eastus"); // the cluster's

  // 4: get on keys, secrets and certificates; the other principals' policies untouched.
  auto const vault = find_resource(after, "/vaults/keyvault-workload-id");
  ASSERT_TRUE(vault);
  auto const seeded_vault = find_resource(before, "/vaults/keyvault-workload-id");
  auto const& policies = (*vault)["properties"]["accessPolicies"];
  auto const& seeded_policies = (*seeded_vault)["properties"]["accessPolicies"];
  ASSERT_EQ(policies.size(), seeded_policies.size() + 1);
  for (std::size_t index = 0; index < seeded_policies.size(); ++index) {
    EXPECT_EQ(policies[index], seeded_policies[index]);
  }
  auto const& ours = policies.back();
  EXPECT_EQ(ours["objectId"], principal_id);
  EXPECT_EQ(sorted(ours["permissions"]["keys"]), std::vector<std::string>{"get"});
  EXPECT_EQ(sorted(ours["permissions"]["secrets"]), std::vector<std::string>{"get"});
  EXPECT_EQ(sorted(ours["permissions"]["certificates"]), std::vector<std::string>{"get"});

  // 5: the annotated service account.
  auto const& accounts = kubernetes_of(after)["serviceAccounts"];
  ASSERT_TRUE(accounts.contains("default/workload-identity-sa"));
  auto const& annotations = accounts["default/workload-identity-sa"]["metadata"]["annotations"];
  EXPECT_EQ(annotations["azure.workload.identity/client-id"], client_id);
  EXPECT_EQ(annotations["azure.workload.identity/tenant-id"], tenant_id);

  // 6: the federated credential, exactly.
  auto const credential =
      find_resource(after, k_identity + std::string("/federatedIdentityCredentials/myFedIdentity"));
  ASSERT_TRUE(credential);
  EXPECT_EQ((*credential)["properties"]["issuer"], issuer);
  EXPECT_EQ((*credential)["properties"]["subject"],
            "system:serviceaccount:default:workload-identity-sa");
  EXPECT_EQ((*credential)["properties"]["audiences"],
            nlohmann::json::array({"api://AzureADTokenExchange"}));
}

TEST(EnableTest, SecondRunWritesNothing) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  ASSERT_EQ(run_enable(simulator, {"--yes"}, environment).exit_code, 0);
  auto const converged = simulator.state();
  simulator.clear_requests();

  auto const result = run_enable(simulator, {"--output", "json"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const log = simulator.requests();
  EXPECT_TRUE(writes(log).empty()) << log.dump(2);
  EXPECT_LE(log.size(), 8U) << log.dump(2);
  auto const document = nlohmann::json::parse(result.out);
  for (auto const& step : document["steps"]) {
    EXPECT_EQ(step["status"], "unchanged") << step.dump();
  }
  EXPECT_EQ(simulator.state()["resources"], converged["resources"]);
}

TEST(EnableTest, QuietPrintsTheOutputsOnly) {
  Simulator simulator;
  auto const result = run_enable(simulator, {"--yes", "--quiet"}, tutorial_environment(simulator));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const identity = find_resource(simulator.state(), "/userAssignedIdentities/myIdentity");
  ASSERT_TRUE(identity);
  auto const client_id = (*identity)["properties"]["clientId"].get<std::string>();
  EXPECT_EQ(result.out.rfind("  client id             " + client_id + "\n", 0), 0U) << result.out;
  EXPECT_EQ(result.out.find("created"), std::string::npos) << result.out; // no step lines
  EXPECT_EQ(result.out.find("Done in"), std::string::npos) << result.out;
}

TEST(EnableTest, RbacVaultGetsRoleAssignmentsAndKeepsTheOthers) {
  Simulator simulator;
  auto const before = simulator.state();
  auto environment = tutorial_environment(simulator);
  environment["KEYVAULT_NAME"] = "keyvault-wi-rbac";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const after = simulator.state();

  auto const principal_id =
      (*find_resource(after, k_identity))["properties"]["principalId"].get<std::string>();
  std::set<std::string> roles;
  for (auto const& [id, assignment] : after["roleAssignments"].items()) {
    if (before["roleAssignments"].contains(id)) {
      EXPECT_EQ(assignment, before["roleAssignments"][id]);
      continue;
    }
    auto const& properties = assignment["properties"];
    EXPECT_EQ(properties["principalId"], principal_id);
    EXPECT_EQ(properties["principalType"], "ServicePrincipal");
    EXPECT_NE(id.find("keyvault-wi-rbac"), std::string::npos);
    auto const role = properties["roleDefinitionId"].get<std::string>();
    roles.insert(role.substr(role.rfind('/') + 1));
  }
  EXPECT_EQ(roles,
            (std::set<std::string>{"4633458b-17de-408a-b874-0445c86b69e6",
                                   "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
                                   "12338af0-0e69-4776-bea7-57ae8d297424"}));
  // No access policy was written to an RBAC vault.
  EXPECT_EQ((*find_resource(after, "/vaults/keyvault-wi-rbac")),
            (*find_resource(before, "/vaults/keyvault-wi-rbac")));
}

TEST(EnableTest, ExistingServiceAccountKeepsItsLabelsAndAnnotations) {
  auto seed = Simulator::default_seed();
  auto& kubernetes = seed["kubernetes"].begin().value();
  kubernetes["namespaces"].push_back("apps");
  kubernetes["serviceAccounts"].push_back({{"metadata",
                                            {{"name", "web"},
                                             {"namespace", "apps"},
                                             {"labels", {{"team", "payments"}}},
                                             {"annotations", {{"owner", "alice"}}}}}});
  Simulator simulator{seeded(seed)};
  auto environment = tutorial_environment(simulator);
  environment["NAMESPACE"] = "apps";
  environment["SERVICE_ACCOUNT_NAME"] = "web";
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;

  auto const after = simulator.state();
  auto const client_id =
      (*find_resource(after, k_identity))["properties"]["clientId"].get<std::string>();
  auto const& metadata = kubernetes_of(after)["serviceAccounts"]["apps/web"]["metadata"];
  EXPECT_EQ(metadata["labels"]["team"], "payments");
  EXPECT_EQ(metadata["annotations"]["owner"], "alice");
  EXPECT_EQ(metadata["annotations"]["azure.workload.identity/client-id"], client_id);
}

TEST(EnableTest, AccountOfAnotherIdentityIsLeftAlone) {
  auto seed = Simulator::default_seed();
  auto& kubernetes = seed["kubernetes"].begin().value();
  nlohmann::json const account = {
      {"metadata",
       {{"name", "workload-identity-sa"},
        {"namespace", "default"},
        {"annotations", {{"azure.workload.identity/client-id", "other-identity-client-id"}}}}}};
  kubernetes["serviceAccounts"].push_back(account);
  Simulator simulator{seeded(seed)};
  auto const result = run_enable(simulator, {"--yes"}, tutorial_environment(simulator));
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find("other-identity-client-id"), std::string::npos) << result.err;
  auto const state = simulator.state();
  auto const& annotations = kubernetes_of(
      state)["serviceAccounts"]["default/workload-identity-sa"]["metadata"]["annotations"];
  EXPECT_EQ(annotations["azure.workload.identity/client-id"], "other-identity-client-id");
}

TEST(EnableTest, MissingNamespaceIsCreated) {
  Simulator simulator;
  auto environment = tutorial_environment(simulator);
  environment["NAMESPACE"] = "payments";
  ASSERT_EQ(run_enable(simulator, {"--yes"}, environment).exit_code, 0);
  auto const state = simulator.state();
  auto const& kubernetes = kubernetes_of(state);
  EXPECT_TRUE(kubernetes["namespaces"].contains("payments"));
  EXPECT_TRUE(kubernetes["serviceAccounts"].contains("payments/workload-identity-sa"));
}

TEST(EnableTest, IdentityAndVaultInOtherResourceGroups) {
  Simulator simulator;
  auto const result =
      run_enable(simulator,
                 {"--yes", "--identity-resource-group", "identities-rg", "--location", "westus"},
                 tutorial_environment(simulator));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const identity =
      find_resource(simulator.state(),
                    "/resourceGroups/identities-rg/providers/"
                    "Microsoft.ManagedIdentity/userAssignedIdentities/myIdentity");
  ASSERT_TRUE(identity);
  EXPECT_EQ((*identity)["location"], "westus");
}

} // namespace
} // namespace wisetup::integration
