// Microsoft Entra token endpoint answers: error bodies ({"error","error_description",
// "error_codes"}) and token responses ({"access_token","expires_in"}, expires_in as a number or a
// string). Drives identity::detail::TokenEndpoint (token_from, throw_refusal), the Entra error
// helpers, the expiry readers and identity::exchange_federated_token over an in-memory transport.
#include "identity/entra_error.hpp"
#include "identity/token_endpoint.hpp"
#include "identity/token_expiry.hpp"

#include <wisetup/core/clock.hpp>
#include <wisetup/core/cloud.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/transport.hpp>
#include <wisetup/identity/federated_token_exchange.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void broken(char const* what) {
  std::fprintf(stderr, "fuzz_entra: %s\n", what);
  std::abort();
}

/// Fixed time; sleeping does nothing (no retries are configured anyway).
class FixedClock final : public wisetup::core::Clock {
public:
  [[nodiscard]] TimePoint now() const override { return TimePoint{}; }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override {
    return std::chrono::system_clock::time_point{std::chrono::seconds{1'700'000'000}};
  }
  void sleep_for(std::chrono::milliseconds /*duration*/) override {}
};

/// Answers every request with one canned response; nothing leaves the process.
class CannedTransport final : public wisetup::http::Transport {
public:
  wisetup::http::Response answer;
  [[nodiscard]] wisetup::http::Response send(wisetup::http::Request const& /*request*/) override {
    return answer;
  }
};

constexpr char const* k_secret = "s3cr3t-value";
constexpr char const* k_assertion = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl";

std::shared_ptr<FixedClock> g_clock;
std::shared_ptr<CannedTransport> g_transport;
std::unique_ptr<wisetup::identity::detail::TokenEndpoint> g_endpoint;

wisetup::http::RetryOptions no_retries() {
  wisetup::http::RetryOptions retry;
  retry.max_retries = 0;
  retry.jitter = [] {
    return 1.0;
  };
  return retry;
}

void check_no_secret(std::string_view message, char const* secret) {
  if (message.find(secret) != std::string_view::npos) {
    broken("a message shows a secret");
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  spdlog::set_level(spdlog::level::off);
  g_clock = std::make_shared<FixedClock>();
  g_transport = std::make_shared<CannedTransport>();
  g_endpoint = std::make_unique<wisetup::identity::detail::TokenEndpoint>(
      "https://login.microsoftonline.com/", "tenant-1", g_transport, g_clock, no_retries());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  namespace detail = wisetup::identity::detail;
  std::string const body(reinterpret_cast<char const*>(data), size);

  // The helpers on their own, as every credential uses them.
  auto const json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string description = body;
  if (json.is_object()) {
    auto const found = json.find("error_description");
    if (found != json.end() && found->is_string()) {
      description = found->get<std::string>();
    }
    for (char const* name : {"expires_in", "expires_on", "refresh_in"}) {
      if (auto const value = json.find(name); value != json.end()) {
        auto const seconds = detail::json_seconds(*value);
        if (seconds && seconds->count() < 0) {
          broken("json_seconds returned a negative lifetime");
        }
        (void)detail::json_epoch(*value);
      }
    }
  }
  (void)detail::aadsts_code(json, description);
  (void)detail::first_sentence(description);
  check_no_secret(detail::without_secrets(body, {k_secret}), k_secret);

  detail::Refusal const refusal{"client id 1 (fuzz)", {}, "check AZURE_TENANT_ID", {k_secret}};
  for (int const status : std::array{200, 400, 401, 500}) {
    wisetup::http::Response response;
    response.status = status;
    response.body = body;
    try {
      if (response.ok()) {
        auto const token = g_endpoint->token_from(response);
        if (token.token.empty()) {
          broken("token_from returned an empty token");
        }
      } else {
        g_endpoint->throw_refusal(response, "https://management.azure.com/.default", refusal);
      }
    } catch (wisetup::core::AuthenticationError const& error) {
      check_no_secret(error.what(), k_secret);
    }
  }

  // The federated token exchange of `verify --exchange`: success and refusal bodies.
  auto cloud = wisetup::core::builtin_cloud("AzureCloud");
  for (int const status : std::array{200, 400}) {
    g_transport->answer = wisetup::http::Response{status, {}, body};
    try {
      auto const result = wisetup::identity::exchange_federated_token(
          g_transport,
          cloud,
          "tenant-1",
          "client-1",
          k_assertion,
          "api://AzureADTokenExchange/.default",
          wisetup::identity::ExchangeOptions{g_clock, no_retries()});
      check_no_secret(result.error, k_assertion);
      check_no_secret(result.description, k_assertion);
      (void)wisetup::identity::aadsts_meaning(result.error_code);
    } catch (wisetup::core::AuthenticationError const& error) {
      check_no_secret(error.what(), k_assertion);
    }
  }
  return 0;
}
