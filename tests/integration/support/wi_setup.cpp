#include "integration/support/wi_setup.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace wisetup::integration {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

} // namespace

std::map<std::string, std::string> tutorial_environment(Simulator const& simulator) {
  auto const& seed = simulator.seed();
  auto const& principal = seed.at("servicePrincipals").at(0);
  return {
      {"AZURE_TENANT_ID", seed.at("tenantId").get<std::string>()},
      {"AZURE_CLIENT_ID", principal.at("clientId").get<std::string>()},
      {"AZURE_CLIENT_SECRET", principal.at("clientSecret").get<std::string>()},
      {"AZURE_SUBSCRIPTION_ID",
       seed.at("subscriptions").at(0).at("subscriptionId").get<std::string>()},
      {"RESOURCE_GROUP", "myResourceGroup"},
      {"AKSCLUSTER", "myAKSCluster"},
      {"USER_ASSIGNED_IDENTITY_NAME", "myIdentity"},
      {"KEYVAULT_NAME", "keyvault-workload-id"},
      {"NAMESPACE", "default"},
      {"SERVICE_ACCOUNT_NAME", "workload-identity-sa"},
      {"FEDERATED_IDENTITY_CREDENTIAL_NAME", "myFedIdentity"},
      // Never let a test reach a real managed identity endpoint (169.254.169.254) or a real `az`:
      // the port-9 (discard) endpoint on loopback refuses at once, and PATH holds no programs.
      {"AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:9"},
      {"PATH", "/nonexistent"},
  };
}

ProcessResult run_enable(Simulator const& simulator,
                         std::vector<std::string> const& arguments,
                         std::map<std::string, std::string> const& environment) {
  std::vector<std::string> all{"enable"};
  all.insert(all.end(), arguments.begin(), arguments.end());
  return run_wi_setup(simulator, all, environment);
}

namespace {

std::vector<std::string> with_connection_flags(Simulator const& simulator,
                                               std::vector<std::string> const& arguments) {
  if (arguments.empty()) {
    throw std::invalid_argument("wi-setup needs a subcommand");
  }
  std::vector<std::string> all{
      arguments.front(), "--cloud", simulator.cloud_file(), "--ca-bundle", simulator.ca_bundle()};
  all.insert(all.end(), arguments.begin() + 1, arguments.end());
  return all;
}

/// The wi-setup under test: this build's, or WISETUP_TEST_BINARY (a sanitizer build of it, run
/// by scripts/sanitize against these tests).
std::string wi_setup_binary() {
  char const* custom = std::getenv("WISETUP_TEST_BINARY");
  return custom != nullptr && *custom != '\0' ? std::string(custom) : std::string(WISETUP_BINARY);
}

} // namespace

ProcessResult run_wi_setup(Simulator const& simulator,
                           std::vector<std::string> const& arguments,
                           std::map<std::string, std::string> const& environment) {
  return run_process(wi_setup_binary(), with_connection_flags(simulator, arguments), environment);
}

std::unique_ptr<BackgroundProcess>
start_wi_setup(Simulator const& simulator,
               std::vector<std::string> const& arguments,
               std::map<std::string, std::string> const& environment) {
  return std::make_unique<BackgroundProcess>(
      wi_setup_binary(), with_connection_flags(simulator, arguments), environment);
}

std::optional<nlohmann::json> find_resource(nlohmann::json const& state,
                                            std::string const& suffix) {
  auto const wanted = lower(suffix);
  for (auto const& [id, resource] : state.at("resources").items()) {
    auto const key = lower(id);
    if (key.size() >= wanted.size() &&
        key.compare(key.size() - wanted.size(), wanted.size(), wanted) == 0) {
      return resource;
    }
  }
  return std::nullopt;
}

std::vector<nlohmann::json> resources_containing(nlohmann::json const& state,
                                                 std::string const& part) {
  std::vector<nlohmann::json> found;
  for (auto const& [id, resource] : state.at("resources").items()) {
    if (lower(id).find(lower(part)) != std::string::npos) {
      found.push_back(resource);
    }
  }
  return found;
}

nlohmann::json const& kubernetes_of(nlohmann::json const& state) {
  return state.at("kubernetes").begin().value();
}

std::vector<nlohmann::json> writes(nlohmann::json const& request_log) {
  std::vector<nlohmann::json> found;
  for (auto const& entry : request_log) {
    if (entry.value("write", false)) {
      found.push_back(entry);
    }
  }
  return found;
}

} // namespace wisetup::integration
