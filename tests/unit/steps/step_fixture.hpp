#pragma once

#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/azure/long_running_operation.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/services.hpp>
#include <wisetup/workflow/run_state.hpp>
#include <wisetup/workflow/step.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace wisetup::steps {

/// Real clients over scripted transports (one for ARM, one for the Kubernetes API server).
class StepFixture : public ::testing::Test {
protected:
  std::shared_ptr<testing::FakeTransport> arm_transport =
      std::make_shared<testing::FakeTransport>();
  std::shared_ptr<testing::FakeTransport> kube_transport =
      std::make_shared<testing::FakeTransport>();
  std::shared_ptr<testing::ManualClock> clock = std::make_shared<testing::ManualClock>();
  azure::ArmClient arm{
      std::make_shared<http::Pipeline>(std::vector<std::unique_ptr<http::Policy>>{}, arm_transport),
      "https://arm.test"};
  azure::LongRunningOperation lro{arm, clock, {}};
  azure::ManagedClusterClient clusters{arm, lro};
  azure::ManagedIdentityClient identities{arm};
  azure::KeyVaultClient key_vaults{arm};
  azure::RoleAssignmentClient role_assignments{arm};
  Services services{clusters,
                    identities,
                    key_vaults,
                    role_assignments,
                    [this](auto const&) {
                      return std::make_unique<kube::KubeClient>(
                          std::make_shared<http::Pipeline>(
                              std::vector<std::unique_ptr<http::Policy>>{}, kube_transport),
                          "https://kube.test");
                    },
                    clock,
                    std::make_shared<ReadAhead>()};
  workflow::RunState state;
  workflow::ProgressSink progress = [](std::string_view, std::chrono::milliseconds) {
  };

  azure::UserAssignedIdentity const identity{
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/"
      "userAssignedIdentities/id1",
      "id1",
      "eastus",
      "client-1",
      "principal-1",
      "tenant-1"};

  void set_common_inputs() {
    state.set(keys::cluster, azure::ResourceRef{"s", "g", "c1"});
    state.set(keys::identity, azure::ResourceRef{"s", "g", "id1"});
    state.set(keys::managed_identity, identity);
    state.set(keys::kube_namespace, std::string("apps"));
    state.set(keys::service_account, std::string("web"));
    state.set(keys::federated_credential_name, std::string("apps-web"));
    state.set(keys::audience, std::string("api://AzureADTokenExchange"));
    state.set(keys::issuer_url, std::string("https://issuer.test/tenant/abc/"));
  }

  [[nodiscard]] std::vector<http::Request> writes(testing::FakeTransport const& transport) const {
    std::vector<http::Request> result;
    for (auto const& request : transport.requests()) {
      if (request.method != http::Method::Get) {
        result.push_back(request);
      }
    }
    return result;
  }
};

} // namespace wisetup::steps
