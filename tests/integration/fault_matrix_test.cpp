// The fault matrix of docs/reliability.md: each service fault, armed in the simulator, against a
// first `enable`; the outcome is asserted on the simulator's end state. With WISETUP_FAULT_TABLE
// set, each case also appends its row (fault, outcome, retries, time) to that file, which
// scripts/fault-matrix turns into the table.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

namespace wisetup::integration {
namespace fault_matrix_test {

constexpr char const* k_identity_path = "/subscriptions/00000000-0000-0000-0000-000000000001/"
                                        "resourceGroups/myResourceGroup/providers/"
                                        "Microsoft.ManagedIdentity/userAssignedIdentities/"
                                        "myIdentity";
constexpr char const* k_credential = "/federatedIdentityCredentials/myFedIdentity";

struct FaultCase {
  std::string name;                ///< a test name
  std::string fault;               ///< the table's words
  std::vector<nlohmann::json> arm; ///< armed in the simulator before the run
  int exit_code = 0;               ///< 0: the run converges despite the fault
  std::string said{};              ///< a failing run's message names this
  bool twenty_credentials = false; ///< the identity already holds 20 credentials
};

std::vector<FaultCase> const& fault_cases() {
  static std::vector<FaultCase> const k_cases{
      {"Throttled",
       "429 on the identity PUT, twice, Retry-After 1 s",
       {{{"method", "PUT"},
         {"path_regex", "/userAssignedIdentities/myIdentity$"},
         {"status", 429},
         {"times", 2},
         {"retry_after", 1}}}},
      {"ArmUnavailable",
       "503 on the cluster GET, twice",
       {{{"method", "GET"},
         {"path_regex", "managedClusters/myAKSCluster$"},
         {"status", 503},
         {"times", 2}}}},
      {"TokenEndpoint5xx",
       "the token endpoint answers 503, twice",
       {{{"service", "token"}, {"status", 503}, {"times", 2}}}},
      {"StatusUrlMissingForAWhile",
       "the update's status URL answers 404, three times",
       {{{"method", "GET"}, {"path_regex", "/operations/"}, {"status", 404}, {"times", 3}}}},
      {"StatusUrlMissingForGood",
       "the update's status URL answers 404 for good",
       {{{"method", "GET"}, {"path_regex", "/operations/"}, {"status", 404}, {"times", -1}}}},
      {"UpdateCanceled",
       "the cluster update ends Canceled",
       {{{"kind", "operation"}, {"path_regex", "myAKSCluster"}, {"end", "Canceled"}}},
       4,
       "Canceled"},
      {"UpdateFailed",
       "the cluster update ends Failed (QuotaExceeded)",
       {{{"kind", "operation"}, {"path_regex", "myAKSCluster"}, {"code", "QuotaExceeded"}}},
       4,
       "QuotaExceeded"},
      {"TlsHandshakeFails",
       "TLS handshakes with Entra and ARM fail, twice",
       {{{"kind", "tls"}, {"times", 2}}}},
      {"HungAnswer",
       "the identity GET is not answered for 25 s, once",
       {{{"method", "GET"},
         {"path_regex", "/userAssignedIdentities/myIdentity$"},
         {"hold_seconds", 25},
         {"times", 1}}}},
      {"ApiServerUnavailable",
       "the API server answers 503, three times",
       {{{"service", "kubernetes"},
         {"path_regex", "serviceaccounts"},
         {"status", 503},
         {"times", 3}}}},
      {"ConcurrentCredentialWrite",
       "409 on the credential PUT (another writer on the identity), once",
       {{{"method", "PUT"},
         {"path_regex", "federatedIdentityCredentials/"},
         {"status", 409},
         {"code", "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity"},
         {"times", 1}}}},
      {"TwentyCredentialLimit",
       "the identity already has 20 federated credentials",
       {},
       2,
       "already has 20 federated credentials",
       true},
  };
  return k_cases;
}

class FaultMatrixTest : public ::testing::TestWithParam<FaultCase> {};

/// Gives the identity 20 credentials of other workloads, Azure's limit.
void fill_credentials(Simulator const& simulator) {
  (void)simulator.arm(
      "PUT", std::string(k_identity_path) + "?api-version=2023-01-31", {{"location", "eastus"}});
  for (int index = 0; index < 20; ++index) {
    auto const name = "other-" + std::to_string(index);
    (void)simulator.arm("PUT",
                        std::string(k_identity_path) + "/federatedIdentityCredentials/" + name +
                            "?api-version=2023-01-31",
                        {{"properties",
                          {{"issuer", "https://issuer.example/" + name},
                           {"subject", "system:serviceaccount:other:" + name},
                           {"audiences", {"api://AzureADTokenExchange"}}}}});
  }
}

/// "retrying ..." lines of -v.
int retries_in(std::string const& log) {
  int count = 0;
  for (std::size_t at = log.find("retrying "); at != std::string::npos;
       at = log.find("retrying ", at + 1)) {
    ++count;
  }
  return count;
}

/// The first line of the error, without its "error: " prefix, shortened for the table.
std::string first_error(std::string const& err) {
  auto const start = err.find("error: ");
  if (start == std::string::npos) {
    return "";
  }
  auto line = err.substr(start + 7, err.find('\n', start) - start - 7);
  // The ids are the tutorial's: the table shows the names.
  for (std::string const prefix :
       {"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/myResourceGroup/"
        "providers/Microsoft.ContainerService/managedClusters/",
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/myResourceGroup/"
        "providers/Microsoft.ContainerService/managedClusters/"}) {
    for (auto at = line.find(prefix); at != std::string::npos; at = line.find(prefix)) {
      line.replace(at, prefix.size(), "");
    }
  }
  return line.size() > 200 ? line.substr(0, 197) + "..." : line;
}

TEST_P(FaultMatrixTest, EnableConvergesOrSaysWhy) {
  auto const& fault = GetParam();
  SimulatorOptions options;
  options.cluster_update_seconds = 1;
  Simulator simulator{options};
  if (fault.twenty_credentials) {
    fill_credentials(simulator);
  }
  for (auto const& armed : fault.arm) {
    simulator.add_fault(armed);
  }
  auto const started = std::chrono::steady_clock::now();
  auto const result = run_enable(simulator, {"--yes", "-v"}, tutorial_environment(simulator));
  auto const elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);

  EXPECT_EQ(result.exit_code, fault.exit_code) << result.out << result.err;
  auto const state = simulator.state();
  auto const credential = find_resource(state, std::string("/myIdentity") + k_credential);
  if (fault.exit_code == 0) {
    EXPECT_TRUE(credential) << result.err;
    EXPECT_TRUE(kubernetes_of(state)["serviceAccounts"].contains("default/workload-identity-sa"));
  } else {
    EXPECT_FALSE(credential);
    EXPECT_NE(result.err.find(fault.said), std::string::npos) << result.err;
  }

  if (char const* table = std::getenv("WISETUP_FAULT_TABLE")) {
    std::ofstream row{table, std::ios::app};
    row << "| " << fault.fault << " | "
        << (result.exit_code == 0
                ? std::string("converged")
                : "exit " + std::to_string(result.exit_code) + ": " + first_error(result.err))
        << " | " << retries_in(result.err) << " | " << elapsed.count() / 100 / 10.0 << " s |\n";
  }
}

INSTANTIATE_TEST_SUITE_P(Faults,
                         FaultMatrixTest,
                         ::testing::ValuesIn(fault_cases()),
                         [](auto const& param_info) { return param_info.param.name; });

} // namespace fault_matrix_test
} // namespace wisetup::integration
