#pragma once

#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/azure/arm_client.hpp>
#include <wisetup/azure/long_running_operation.hpp>
#include <wisetup/http/pipeline.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace wisetup::azure {

/// Poll every 0.5 s (5 s at most), give up after 30 minutes.
inline LroOptions quick_polls() {
  using namespace std::chrono_literals;
  LroOptions options;
  options.initial_interval = 500ms;
  options.max_interval = 5'000ms;
  options.timeout = 30min;
  return options;
}

/// An ArmClient on a bare pipeline over a scripted transport, and a manual clock.
class ArmFixture : public ::testing::Test {
protected:
  static constexpr char const* k_endpoint = "https://arm.test";

  std::shared_ptr<testing::FakeTransport> transport = std::make_shared<testing::FakeTransport>();
  std::shared_ptr<testing::ManualClock> clock = std::make_shared<testing::ManualClock>();
  std::shared_ptr<http::Pipeline> pipeline =
      std::make_shared<http::Pipeline>(std::vector<std::unique_ptr<http::Policy>>{}, transport);
  ArmClient arm{pipeline, k_endpoint};

  static http::Headers headers(std::vector<std::pair<std::string, std::string>> const& fields) {
    http::Headers result;
    for (auto const& [name, value] : fields) {
      result.set(name, value);
    }
    return result;
  }

  [[nodiscard]] http::Request request(std::size_t index) const {
    auto const sent = transport->requests();
    if (index >= sent.size()) {
      ADD_FAILURE() << "only " << sent.size() << " requests were sent";
      return {};
    }
    return sent[index];
  }

  [[nodiscard]] nlohmann::json request_json(std::size_t index) const {
    return nlohmann::json::parse(request(index).body);
  }
};

} // namespace wisetup::azure
