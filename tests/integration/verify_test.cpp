// End-to-end: `wi-setup verify` against wi-setup-sim. Each broken link is made by another client
// (the Kubernetes or ARM API of the simulator), named by verify with exit 9, and put back by
// `enable`; the simulator's state and request log are the evidence.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

namespace wisetup::integration {
namespace verify_test {

std::string const k_group =
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/myResourceGroup";
std::string const k_cluster_id = k_group + "/providers/Microsoft.ContainerService/managedClusters/"
                                           "myAKSCluster";
std::string const k_identity_path =
    k_group + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myIdentity";
std::string const k_credential_path =
    k_identity_path + "/federatedIdentityCredentials/myFedIdentity";
std::string const k_vault_path =
    k_group + "/providers/Microsoft.KeyVault/vaults/keyvault-workload-id";
std::string const k_credential_api = "?api-version=2023-01-31";
std::string const k_vault_api = "?api-version=2023-07-01";
std::string const k_account_path =
    "/api/v1/namespaces/default/serviceaccounts/workload-identity-sa";
std::string const k_client_id_annotation = "azure.workload.identity/client-id";
std::string const k_audience = "api://AzureADTokenExchange";
std::string const k_subject = "system:serviceaccount:default:workload-identity-sa";

std::vector<std::string> const k_checks = {"cluster",
                                           "issuer",
                                           "identity",
                                           "federated-credential",
                                           "service-account",
                                           "keyvault-access",
                                           "pods"};

std::vector<std::string> check_names(nlohmann::json const& document) {
  std::vector<std::string> names;
  for (auto const& check : document.at("checks")) {
    names.push_back(check.at("name").get<std::string>());
  }
  return names;
}

std::vector<std::string> sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

nlohmann::json const& check_named(nlohmann::json const& document, std::string const& name) {
  for (auto const& check : document.at("checks")) {
    if (check.at("name") == name) {
      return check;
    }
  }
  throw std::runtime_error("no check " + name + " in " + document.dump(2));
}

void enable(Simulator const& simulator, std::map<std::string, std::string> const& environment) {
  auto const result = run_enable(simulator, {"--yes"}, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
}

/// `verify -o json` (plus `arguments`): its exit code, its document; asserts it wrote nothing.
std::pair<int, nlohmann::json> verify(Simulator const& simulator,
                                      std::map<std::string, std::string> const& environment,
                                      std::vector<std::string> const& arguments = {}) {
  simulator.clear_requests();
  std::vector<std::string> all{"verify", "-o", "json"};
  all.insert(all.end(), arguments.begin(), arguments.end());
  auto const result = run_wi_setup(simulator, all, environment);
  auto const log = simulator.requests();
  EXPECT_TRUE(writes(log).empty()) << log.dump(2);
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(result.out);
  } catch (nlohmann::json::exception const&) {
    ADD_FAILURE() << "verify printed no JSON document: " << result.out << result.err;
    return {result.exit_code,
            nlohmann::json{{"exitCode", -1}, {"checks", nlohmann::json::array()}}};
  }
  EXPECT_EQ(document["command"], "verify");
  EXPECT_EQ(document["exitCode"], result.exit_code) << result.err;
  return {result.exit_code, document};
}

void expect_every_link_holds(Simulator const& simulator,
                             std::map<std::string, std::string> const& environment) {
  auto const [code, document] = verify(simulator, environment);
  EXPECT_EQ(code, 0) << document.dump(2);
  EXPECT_EQ(sorted(check_names(document)), sorted(k_checks));
  for (auto const& check : document["checks"]) {
    EXPECT_EQ(check["status"], "ok") << check.dump();
  }
}

/// verify names `link` as the (first) broken one, with exit 9; returns that check.
nlohmann::json expect_broken(Simulator const& simulator,
                             std::map<std::string, std::string> const& environment,
                             std::string const& link) {
  auto const [code, document] = verify(simulator, environment);
  EXPECT_EQ(code, 9) << document.dump(2);
  auto const& check = check_named(document, link);
  EXPECT_EQ(check["status"], "broken") << document.dump(2);
  EXPECT_FALSE(check["fix"].get<std::string>().empty()) << check.dump();
  for (auto const& other : document["checks"]) {
    if (other["name"] != link) {
      EXPECT_EQ(other["status"], "ok") << other.dump();
    }
  }
  return check;
}

/// `enable` puts the link back: exit 0, the step named `step` changed something.
void expect_enable_repairs(Simulator const& simulator,
                           std::map<std::string, std::string> const& environment,
                           std::string const& step,
                           std::vector<std::string> const& extra = {}) {
  std::vector<std::string> arguments{"--yes", "-o", "json"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  auto const result = run_enable(simulator, arguments, environment);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto const document = nlohmann::json::parse(result.out);
  for (auto const& report : document["steps"]) {
    if (report["name"] == step) {
      EXPECT_TRUE(report["status"] == "updated" || report["status"] == "created") << report.dump();
    } else {
      EXPECT_EQ(report["status"], "unchanged") << report.dump();
    }
  }
}

nlohmann::json credential_of(Simulator const& simulator) {
  auto const credential = find_resource(simulator.state(), k_credential_path);
  if (!credential) {
    throw std::runtime_error("the federated credential myFedIdentity is missing");
  }
  return *credential;
}

/// PUT myFedIdentity with `properties` as another client would.
void put_credential(Simulator const& simulator, nlohmann::json const& properties) {
  simulator.arm("PUT", k_credential_path + k_credential_api, {{"properties", properties}});
}

std::string cluster_issuer(nlohmann::json const& state) {
  return (*find_resource(
      state, "/managedClusters/myAKSCluster"))["properties"]["oidcIssuerProfile"]["issuerURL"]
      .get<std::string>();
}

TEST(VerifyTest, GoodSetupEveryCheckOk) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  auto const before = simulator.state();
  expect_every_link_holds(simulator, environment);
  EXPECT_EQ(simulator.state()["resources"], before["resources"]);
  EXPECT_EQ(simulator.state()["kubernetes"], before["kubernetes"]);
}

TEST(VerifyTest, ExchangeEndToEnd) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  auto const before = simulator.state();

  auto const [code, document] = verify(simulator, environment, {"--exchange"});
  EXPECT_EQ(code, 0) << document.dump(2);
  auto expected = k_checks;
  expected.emplace_back("token-exchange");
  expected.emplace_back("keyvault-read");
  EXPECT_EQ(sorted(check_names(document)), sorted(expected));
  for (auto const& check : document["checks"]) {
    EXPECT_EQ(check["status"], "ok") << check.dump();
  }
  EXPECT_EQ(check_named(document, "token-exchange")["status"], "ok");
  EXPECT_EQ(check_named(document, "keyvault-read")["status"], "ok");

  // It really went through the workload's path: a TokenRequest for the service account, a token
  // request at Entra after it, and a secret read on the vault's data plane.
  auto const log = simulator.requests();
  std::size_t token_request = log.size();
  std::size_t exchange = log.size();
  std::size_t vault_read = log.size();
  for (std::size_t index = 0; index < log.size(); ++index) {
    auto const& entry = log[index];
    auto const path = entry["path"].get<std::string>();
    if (entry["service"] == "kubernetes" && entry["method"] == "POST" &&
        path == k_account_path + "/token") {
      token_request = index;
    } else if (entry["service"] == "token" && token_request < log.size() &&
               exchange == log.size()) {
      exchange = index;
      EXPECT_EQ(entry["status"], 200) << entry.dump();
    } else if (entry["service"] == "keyvault" &&
               path.rfind("/keyvault/keyvault-workload-id/secrets/", 0) == 0) {
      vault_read = index;
      EXPECT_NE(entry["status"], 403) << entry.dump();
    }
  }
  EXPECT_LT(token_request, log.size()) << log.dump(2);
  EXPECT_LT(exchange, log.size()) << log.dump(2);
  EXPECT_LT(vault_read, log.size()) << log.dump(2);
  EXPECT_LT(exchange, vault_read) << log.dump(2);
  EXPECT_EQ(simulator.state()["resources"], before["resources"]);
}

TEST(VerifyTest, MissingClientIdAnnotationIsBrokenAndEnableRepairsIt) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  simulator.kubernetes(k_cluster_id,
                       "PATCH",
                       k_account_path,
                       {{"metadata", {{"annotations", {{k_client_id_annotation, nullptr}}}}}},
                       "application/merge-patch+json");
  auto const broken = simulator.state();
  ASSERT_FALSE(
      kubernetes_of(
          broken)["serviceAccounts"]["default/workload-identity-sa"]["metadata"]["annotations"]
          .contains(k_client_id_annotation));

  auto const check = expect_broken(simulator, environment, "service-account");
  EXPECT_NE(check["detail"].get<std::string>().find(k_client_id_annotation), std::string::npos)
      << check.dump();

  expect_enable_repairs(simulator, environment, "service-account");
  auto const repaired = simulator.state();
  auto const client_id =
      (*find_resource(repaired, k_identity_path))["properties"]["clientId"].get<std::string>();
  EXPECT_EQ(kubernetes_of(repaired)["serviceAccounts"]["default/workload-identity-sa"]["metadata"]
                                   ["annotations"][k_client_id_annotation],
            client_id);
  expect_every_link_holds(simulator, environment);
}

TEST(VerifyTest, ChangedAudienceIsBrokenAndEnableRepairsIt) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  auto properties = credential_of(simulator)["properties"];
  properties["audiences"] = nlohmann::json::array({"api://SomethingElse"});
  put_credential(simulator, properties);
  ASSERT_EQ(credential_of(simulator)["properties"]["audiences"],
            nlohmann::json::array({"api://SomethingElse"}));

  auto const check = expect_broken(simulator, environment, "federated-credential");
  EXPECT_NE(check["detail"].get<std::string>().find("api://SomethingElse"), std::string::npos)
      << check.dump();

  expect_enable_repairs(simulator, environment, "federated-credential");
  auto const repaired = credential_of(simulator)["properties"];
  EXPECT_EQ(repaired["audiences"], nlohmann::json::array({k_audience}));
  EXPECT_EQ(repaired["subject"], k_subject);
  EXPECT_EQ(repaired["issuer"], cluster_issuer(simulator.state()));
  expect_every_link_holds(simulator, environment);
}

TEST(VerifyTest, RemovedVaultGrantIsBrokenAndEnableRepairsIt) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  auto const enabled = simulator.state();
  auto const identity = find_resource(enabled, k_identity_path).value().at("properties");
  auto const principal_id = identity["principalId"].get<std::string>();
  nlohmann::json const grant = {
      {"tenantId", identity["tenantId"]},
      {"objectId", principal_id},
      {"permissions", {{"keys", {"get"}}, {"secrets", {"get"}}, {"certificates", {"get"}}}}};
  simulator.arm("PUT",
                k_vault_path + "/accessPolicies/remove" + k_vault_api,
                {{"properties", {{"accessPolicies", {grant}}}}});
  auto const policies_of = [](nlohmann::json const& state) {
    return (*find_resource(state, k_vault_path))["properties"]["accessPolicies"];
  };
  auto const held_by = [&](nlohmann::json const& state) {
    std::vector<nlohmann::json> found;
    for (auto const& policy : policies_of(state)) {
      if (policy["objectId"] == principal_id) {
        found.push_back(policy);
      }
    }
    return found;
  };
  ASSERT_TRUE(held_by(simulator.state()).empty());

  auto const check = expect_broken(simulator, environment, "keyvault-access");
  EXPECT_NE(check["detail"].get<std::string>().find("secrets get"), std::string::npos)
      << check.dump();

  expect_enable_repairs(simulator, environment, "keyvault-access");
  auto const repaired = simulator.state();
  auto const ours = held_by(repaired);
  ASSERT_EQ(ours.size(), 1U);
  EXPECT_EQ(ours.front()["permissions"]["secrets"], nlohmann::json::array({"get"}));
  EXPECT_EQ(ours.front()["permissions"]["keys"], nlohmann::json::array({"get"}));
  EXPECT_EQ(ours.front()["permissions"]["certificates"], nlohmann::json::array({"get"}));
  EXPECT_EQ(policies_of(repaired).size(), policies_of(enabled).size());
  expect_every_link_holds(simulator, environment);
}

TEST(VerifyTest, StaleIssuerNeedsRepairIssuer) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  std::string const stale = "https://127.0.0.1:9/oidc/recreated-cluster/";
  auto properties = credential_of(simulator)["properties"];
  properties["issuer"] = stale;
  put_credential(simulator, properties);

  auto const check = expect_broken(simulator, environment, "federated-credential");
  EXPECT_NE(check["detail"].get<std::string>().find(stale), std::string::npos) << check.dump();
  EXPECT_NE(check["fix"].get<std::string>().find("--repair-issuer"), std::string::npos)
      << check.dump();

  // Without --repair-issuer enable refuses (it could be another cluster's) and writes nothing.
  simulator.clear_requests();
  auto const refused = run_enable(simulator, {"--yes"}, environment);
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE((refused.out + refused.err).find("--repair-issuer"), std::string::npos)
      << refused.out << refused.err;
  auto const log = simulator.requests();
  EXPECT_TRUE(writes(log).empty()) << log.dump(2);
  EXPECT_EQ(credential_of(simulator)["properties"]["issuer"], stale);

  expect_enable_repairs(simulator, environment, "federated-credential", {"--repair-issuer"});
  auto const state = simulator.state();
  auto const repaired = (*find_resource(state, k_credential_path))["properties"];
  EXPECT_EQ(repaired["issuer"], cluster_issuer(state));
  EXPECT_EQ(repaired["subject"], k_subject);
  EXPECT_EQ(repaired["audiences"], nlohmann::json::array({k_audience}));
  expect_every_link_holds(simulator, environment);
}

TEST(VerifyTest, OurCredentialFederatingAnotherSubjectIsBroken) {
  Simulator simulator;
  auto const environment = tutorial_environment(simulator);
  enable(simulator, environment);
  std::string const other = "system:serviceaccount:other:worker";
  auto properties = credential_of(simulator)["properties"];
  properties["subject"] = other;
  put_credential(simulator, properties);

  auto const check = expect_broken(simulator, environment, "federated-credential");
  EXPECT_NE(check["detail"].get<std::string>().find(other), std::string::npos) << check.dump();
  EXPECT_EQ(credential_of(simulator)["properties"]["subject"], other);
}

} // namespace verify_test
} // namespace wisetup::integration
