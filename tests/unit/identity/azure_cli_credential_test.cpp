#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/identity/azure_cli_credential.hpp>
#include <wisetup/identity/credential_unavailable.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <mutex>
#include <optional>

namespace wisetup::identity {
namespace {

using namespace std::chrono_literals;
using testing::ManualClock;

constexpr char const* k_arm_scope = "https://management.azure.com/.default";
constexpr char const* k_canary = "CANARY-stdout-token";

/// A scripted `az`: answers runs in order and records each argv and timeout.
class FakeProcessRunner final : public ProcessRunner {
public:
  void script(ProcessOutput output) {
    std::lock_guard const lock{m_mutex};
    m_script.push_back(std::move(output));
  }
  [[nodiscard]] ProcessOutput run(std::vector<std::string> const& argv,
                                  std::chrono::milliseconds timeout) const override {
    std::lock_guard const lock{m_mutex};
    m_calls.push_back(argv);
    m_timeouts.push_back(timeout);
    if (m_script.empty()) {
      ADD_FAILURE() << "unexpected run of " << argv.front();
      return {};
    }
    auto output = std::move(m_script.front());
    m_script.pop_front();
    return output;
  }
  [[nodiscard]] std::vector<std::vector<std::string>> calls() const {
    std::lock_guard const lock{m_mutex};
    return m_calls;
  }
  [[nodiscard]] std::vector<std::chrono::milliseconds> timeouts() const {
    std::lock_guard const lock{m_mutex};
    return m_timeouts;
  }

private:
  mutable std::mutex m_mutex;
  mutable std::deque<ProcessOutput> m_script;
  mutable std::vector<std::vector<std::string>> m_calls;
  mutable std::vector<std::chrono::milliseconds> m_timeouts;
};

ProcessOutput succeeded(std::string out) {
  ProcessOutput output;
  output.exit_code = 0;
  output.out = std::move(out);
  return output;
}

ProcessOutput failed(int exit_code, std::string err, std::string out = k_canary) {
  ProcessOutput output;
  output.exit_code = exit_code;
  output.out = std::move(out);
  output.err = std::move(err);
  return output;
}

ProcessOutput not_installed() {
  ProcessOutput output;
  output.not_found = true;
  return output;
}

ProcessOutput killed_at_timeout() {
  ProcessOutput output;
  output.exit_code = 137;
  output.timed_out = true;
  return output;
}

/// Sets TZ for the life of the object (glibc reads POSIX rules from the string itself, so no
/// time zone database is needed) and restores the previous value.
class ScopedTimeZone {
public:
  explicit ScopedTimeZone(char const* zone) {
    if (char const* previous = std::getenv("TZ")) { // NOLINT(concurrency-mt-unsafe)
      m_previous = previous;
    }
    ::setenv("TZ", zone, 1); // NOLINT(concurrency-mt-unsafe)
    ::tzset();
  }
  ScopedTimeZone(ScopedTimeZone const&) = delete;
  ScopedTimeZone& operator=(ScopedTimeZone const&) = delete;
  ~ScopedTimeZone() {
    if (m_previous) {
      ::setenv("TZ", m_previous->c_str(), 1); // NOLINT(concurrency-mt-unsafe)
    } else {
      ::unsetenv("TZ"); // NOLINT(concurrency-mt-unsafe)
    }
    ::tzset();
  }

private:
  std::optional<std::string> m_previous;
};

class AzureCliCredentialTest : public ::testing::Test {
protected:
  [[nodiscard]] AzureCliCredential credential(std::string tenant = {}) const {
    return AzureCliCredential{m_runner, std::move(tenant), m_clock};
  }

  template <class Error>
  std::string error_of(AzureCliCredential const& credential,
                       std::string const& scope = k_arm_scope) {
    try {
      (void)credential.get_token(scope);
    } catch (Error const& error) {
      std::string message = error.what();
      EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
      return message;
    } catch (std::exception const& error) {
      ADD_FAILURE() << "unexpected exception: " << error.what();
      return {};
    }
    ADD_FAILURE() << "expected an exception";
    return {};
  }

  std::shared_ptr<FakeProcessRunner> m_runner = std::make_shared<FakeProcessRunner>();
  std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>();
};

TEST_F(AzureCliCredentialTest, RunsAzWithExactlyTheseArguments) {
  m_runner->script(succeeded(R"({"accessToken":"cli-token","expires_on":1800003600,)"
                             R"("expiresOn":"2027-01-15 09:00:00.000000","tokenType":"Bearer"})"));
  m_runner->script(succeeded(R"({"accessToken":"t2","expires_on":1800003600})"));
  auto const token = credential("contoso.onmicrosoft.com").get_token(k_arm_scope);
  (void)credential().get_token("6dae42f8-4368-4678-94ff-3960e28e3630/.default");

  EXPECT_EQ(token.token, "cli-token");
  EXPECT_EQ(token.expires_on, std::chrono::system_clock::from_time_t(1800003600));
  auto const calls = m_runner->calls();
  ASSERT_EQ(calls.size(), 2U);
  EXPECT_EQ(calls[0],
            (std::vector<std::string>{"az",
                                      "account",
                                      "get-access-token",
                                      "--output",
                                      "json",
                                      "--scope",
                                      k_arm_scope,
                                      "--tenant",
                                      "contoso.onmicrosoft.com"}));
  EXPECT_EQ(calls[1],
            (std::vector<std::string>{"az",
                                      "account",
                                      "get-access-token",
                                      "--output",
                                      "json",
                                      "--scope",
                                      "6dae42f8-4368-4678-94ff-3960e28e3630/.default"}));
  EXPECT_EQ(m_runner->timeouts(), (std::vector<std::chrono::milliseconds>{13s, 13s}));
}

TEST_F(AzureCliCredentialTest, UnsafeValuesAreRefusedBeforeAzRuns) {
  for (auto const* tenant : {"contoso.com --debug", "a;b", "x$(id)", "t/../u", "tenant\n"}) {
    auto const message = error_of<core::InvalidInput>(credential(tenant));
    EXPECT_NE(message.find("is not a GUID or a domain name"), std::string::npos) << message;
  }
  for (auto const* scope : {"https://x/.default --debug", "", "a'b", "https://x/.default\n"}) {
    auto const message = error_of<core::InvalidInput>(credential(), scope);
    EXPECT_NE(message.find("cannot be passed to the Azure CLI"), std::string::npos) << message;
  }
  EXPECT_TRUE(m_runner->calls().empty());
}

TEST_F(AzureCliCredentialTest, MissingAzIsUnavailable) {
  m_runner->script(not_installed());
  auto const message = error_of<CredentialUnavailable>(credential());
  EXPECT_EQ(message.rfind("Azure CLI: az is not installed", 0), 0U) << message;
}

TEST_F(AzureCliCredentialTest, SignedOutAzIsUnavailable) {
  m_runner->script(failed(1, "ERROR: Please run 'az login' to setup account.\n"));
  m_runner->script(failed(1,
                          "ERROR: AADSTS70043: The refresh token has expired. To re-authenticate, "
                          "please run:\naz login --scope https://management.azure.com/.default\n"));
  EXPECT_EQ(error_of<CredentialUnavailable>(credential()),
            "Azure CLI: not signed in; run az login");
  EXPECT_EQ(error_of<CredentialUnavailable>(credential("contoso.onmicrosoft.com")),
            "Azure CLI: not signed in; run az login --tenant contoso.onmicrosoft.com");
}

TEST_F(AzureCliCredentialTest, OtherFailuresStopWithStderrsFirstLineAndNeverStdout) {
  m_runner->script(failed(2,
                          "\n  ERROR: (InvalidTenant) The tenant is not valid\nTraceback: ...\n",
                          std::string(k_canary) + "\n"));
  auto const message = error_of<core::AuthenticationError>(credential());
  EXPECT_EQ(message,
            "Azure CLI: az account get-access-token failed (exit code 2): ERROR: (InvalidTenant) "
            "The tenant is not valid.");
  // Not unavailable: a configured az that fails must stop the chain.
  m_runner->script(failed(1, ""));
  EXPECT_THROW(
      {
        try {
          (void)credential().get_token(k_arm_scope);
        } catch (CredentialUnavailable const&) {
          ADD_FAILURE() << "a failure must not look unavailable";
        }
      },
      core::AuthenticationError);
}

TEST_F(AzureCliCredentialTest, OutputWithoutATokenNeverQuotesStdout) {
  m_runner->script(succeeded(std::string("Please wait ") + k_canary));
  m_runner->script(succeeded(std::string(R"({"token":")") + k_canary + R"("})"));
  m_runner->script(
      succeeded(std::string(R"({"accessToken":")") + k_canary + R"(","expiresOn":"tomorrow"})"));
  EXPECT_NE(error_of<core::AuthenticationError>(credential()).find("printed no accessToken"),
            std::string::npos);
  EXPECT_NE(error_of<core::AuthenticationError>(credential()).find("printed no accessToken"),
            std::string::npos);
  EXPECT_NE(error_of<core::AuthenticationError>(credential()).find("no readable expires_on"),
            std::string::npos);
}

TEST_F(AzureCliCredentialTest, ATimeoutNamesIt) {
  m_runner->script(killed_at_timeout());
  auto const message = error_of<core::AuthenticationError>(
      AzureCliCredential{m_runner, {}, m_clock, std::chrono::milliseconds{2500}});
  EXPECT_NE(message.find("did not finish within 2500 ms"), std::string::npos) << message;
  EXPECT_EQ(m_runner->timeouts(), (std::vector<std::chrono::milliseconds>{2500ms}));
}

TEST_F(AzureCliCredentialTest, ExpiresOnIsLocalTimeWithDaylightSaving) {
  ScopedTimeZone const zone{"EST5EDT,M3.2.0,M11.1.0"};
  // 1800000000 is 2027-01-15 08:00:00 UTC: 03:00 in New York's winter (UTC-5).
  m_runner->script(succeeded(R"({"accessToken":"t","expiresOn":"2027-01-15 03:00:00.123456"})"));
  // 2027-07-15 08:00:00 UTC is 04:00 in summer (UTC-4).
  m_runner->script(succeeded(R"({"accessToken":"t","expiresOn":"2027-07-15 04:00:00"})"));
  auto const cred = credential();
  EXPECT_EQ(cred.get_token(k_arm_scope).expires_on,
            std::chrono::system_clock::from_time_t(1800000000));
  EXPECT_EQ(cred.get_token(k_arm_scope).expires_on,
            std::chrono::system_clock::from_time_t(1800000000 + 181 * 86400));
}

TEST_F(AzureCliCredentialTest, ExpiresOnRoundTripsThroughTheMachinesTimeZone) {
  std::time_t const when = 1800001234;
  std::tm local{};
  ASSERT_NE(::localtime_r(&when, &local), nullptr);
  std::array<char, 64> text{};
  ASSERT_GT(std::strftime(text.data(), text.size(), "%Y-%m-%d %H:%M:%S.500000", &local), 0U);
  m_runner->script(
      succeeded(std::string(R"({"accessToken":"t","expiresOn":")") + text.data() + "\"}"));
  EXPECT_EQ(credential().get_token(k_arm_scope).expires_on,
            std::chrono::system_clock::from_time_t(when));
}

TEST_F(AzureCliCredentialTest, TheNumericExpiryWinsOverTheLocalTime) {
  m_runner->script(succeeded(R"({"accessToken":"t","expires_on":1800000999,)"
                             R"("expiresOn":"1999-01-01 00:00:00.000000"})"));
  EXPECT_EQ(credential().get_token(k_arm_scope).expires_on,
            std::chrono::system_clock::from_time_t(1800000999));
}

TEST_F(AzureCliCredentialTest, MalformedLocalTimesAreRefused) {
  for (auto const* bad : {"2027-13-15 03:00:00",
                          "2027-01-15T03:00:00",
                          "2027-01-15 03:00",
                          "",
                          "2027-01-15 03:00:00.",
                          "2027-01-15 03:00:00.12x",
                          "9999-12-31 23:59:59"}) {
    m_runner->script(succeeded(std::string(R"({"accessToken":"t","expiresOn":")") + bad + "\"}"));
    auto const message = error_of<core::AuthenticationError>(credential());
    EXPECT_NE(message.find("no readable expires_on"), std::string::npos) << bad << ": " << message;
  }
}

TEST_F(AzureCliCredentialTest, DescribeNamesTheTenant) {
  EXPECT_EQ(credential().describe(), "Azure CLI (az)");
  EXPECT_EQ(credential("contoso.onmicrosoft.com").describe(),
            "Azure CLI (az, tenant contoso.onmicrosoft.com)");
}

TEST_F(AzureCliCredentialTest, ProfileComesFromAzAccountShow) {
  m_runner->script(succeeded(R"({"id":"sub-1","tenantId":"tenant-1","name":"Dev",)"
                             R"("user":{"name":"me@contoso.com","type":"user"}})"));
  auto const profile = read_azure_cli_profile(*m_runner);
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->subscription_id, "sub-1");
  EXPECT_EQ(profile->tenant_id, "tenant-1");
  ASSERT_EQ(m_runner->calls().size(), 1U);
  EXPECT_EQ(m_runner->calls()[0],
            (std::vector<std::string>{"az", "account", "show", "--output", "json"}));
  EXPECT_EQ(m_runner->timeouts(), (std::vector<std::chrono::milliseconds>{13s}));
}

TEST_F(AzureCliCredentialTest, NoProfileWhenAzIsMissingSignedOutOrSilent) {
  m_runner->script(not_installed());
  m_runner->script(failed(1, "ERROR: Please run 'az login' to setup account."));
  m_runner->script(killed_at_timeout());
  m_runner->script(succeeded("not json"));
  m_runner->script(succeeded(R"({"id":"sub-1"})"));
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(read_azure_cli_profile(*m_runner)) << i;
  }
}

} // namespace
} // namespace wisetup::identity
