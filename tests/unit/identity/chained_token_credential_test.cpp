#include <wisetup/core/error.hpp>
#include <wisetup/identity/chained_token_credential.hpp>
#include <wisetup/identity/credential_unavailable.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <sstream>

namespace wisetup::identity {
namespace chained_token_credential_test {

/// Answers "<name>:<scope>", or throws what it was told to; counts its calls.
class ScriptedCredential final : public http::TokenCredential {
public:
  enum class Mode { Works, Unavailable, Rejected };
  ScriptedCredential(std::string name, Mode mode) : m_name(std::move(name)), m_mode(mode) {}
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override {
    ++m_calls;
    switch (m_mode) {
    case Mode::Unavailable:
      throw CredentialUnavailable(m_name + " is not set up here");
    case Mode::Rejected:
      throw core::AuthenticationError(m_name + " was refused");
    case Mode::Works:
      break;
    }
    return {m_name + ":" + scope, std::chrono::system_clock::time_point::max()};
  }
  [[nodiscard]] std::string describe() const override { return m_name + " credential"; }
  void invalidate(std::string const& /*scope*/) const override { ++m_invalidations; }
  [[nodiscard]] int calls() const { return m_calls; }
  [[nodiscard]] int invalidations() const { return m_invalidations; }

private:
  std::string m_name;
  Mode m_mode;
  mutable std::atomic<int> m_calls{0};
  mutable std::atomic<int> m_invalidations{0};
};

using Mode = ScriptedCredential::Mode;

std::shared_ptr<ScriptedCredential> scripted(std::string name, Mode mode) {
  return std::make_shared<ScriptedCredential>(std::move(name), mode);
}

/// Captures spdlog's default logger for the lifetime of the object.
class LogCapture {
public:
  LogCapture() : m_previous(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(m_stream));
    logger->set_level(spdlog::level::trace);
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(m_previous); }
  LogCapture(LogCapture const&) = delete;
  LogCapture& operator=(LogCapture const&) = delete;
  [[nodiscard]] std::string text() const { return m_stream.str(); }

private:
  std::ostringstream m_stream;
  std::shared_ptr<spdlog::logger> m_previous;
};

std::size_t count(std::string const& text, std::string const& part) {
  std::size_t found = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++found;
  }
  return found;
}

TEST(ChainedTokenCredentialTest, SkipsUnavailableKindsInOrderAndRemembersTheFirstThatWorks) {
  auto const environment = scripted("environment", Mode::Unavailable);
  auto const workload = scripted("workload", Mode::Works);
  auto const cli = scripted("cli", Mode::Works);
  ChainedTokenCredential const chain{
      {{"environment", environment}, {"workload identity", workload}, {"Azure CLI", cli}}};

  LogCapture const log;
  EXPECT_EQ(chain.get_token("arm").token, "workload:arm");
  EXPECT_EQ(chain.get_token("graph").token, "workload:graph");
  EXPECT_EQ(chain.get_token("aks").token, "workload:aks");
  EXPECT_EQ(environment->calls(), 1); // not asked again once one was chosen
  EXPECT_EQ(workload->calls(), 3);
  EXPECT_EQ(cli->calls(), 0);
  EXPECT_EQ(chain.describe(), "workload credential");
  EXPECT_EQ(count(log.text(), "info authenticated with workload credential"), 1U) << log.text();
}

TEST(ChainedTokenCredentialTest, ARejectedConfiguredCredentialStopsTheChain) {
  auto const environment = scripted("environment", Mode::Rejected);
  auto const cli = scripted("cli", Mode::Works);
  ChainedTokenCredential const chain{{{"environment", environment}, {"Azure CLI", cli}}};
  try {
    (void)chain.get_token("arm");
    FAIL() << "expected AuthenticationError";
  } catch (CredentialUnavailable const&) {
    FAIL() << "a refusal is not unavailability";
  } catch (core::AuthenticationError const& error) {
    EXPECT_STREQ(error.what(), "environment was refused");
  }
  EXPECT_EQ(cli->calls(), 0);
  // Nothing was chosen: the next call walks the chain again (and stops again).
  EXPECT_THROW((void)chain.get_token("arm"), core::AuthenticationError);
  EXPECT_EQ(environment->calls(), 2);
  EXPECT_EQ(cli->calls(), 0);
}

TEST(ChainedTokenCredentialTest, OtherErrorsStopTheChainToo) {
  class Unreachable final : public http::TokenCredential {
  public:
    [[nodiscard]] http::AccessToken get_token(std::string const& /*scope*/) const override {
      throw core::InvalidInput("bad AZURE_AUTHORITY_HOST");
    }
    [[nodiscard]] std::string describe() const override { return "broken"; }
  };
  auto const cli = scripted("cli", Mode::Works);
  ChainedTokenCredential const chain{
      {{"environment", std::make_shared<Unreachable>()}, {"Azure CLI", cli}}};
  EXPECT_THROW((void)chain.get_token("arm"), core::InvalidInput);
  EXPECT_EQ(cli->calls(), 0);
}

TEST(ChainedTokenCredentialTest, AllUnavailableGivesOneMessageListingEachKindAndWhy) {
  ChainedTokenCredential const chain{{{"environment", scripted("env", Mode::Unavailable)},
                                      {"workload identity", scripted("wi", Mode::Unavailable)},
                                      {"managed identity", scripted("mi", Mode::Unavailable)},
                                      {"Azure CLI", scripted("az", Mode::Unavailable)}}};
  try {
    (void)chain.get_token("arm");
    FAIL() << "expected AuthenticationError";
  } catch (CredentialUnavailable const&) {
    FAIL() << "the summary is not itself 'unavailable', so an outer chain would stop";
  } catch (core::AuthenticationError const& error) {
    EXPECT_EQ(error.exit_code(), core::ExitCode::Authentication);
    EXPECT_STREQ(error.what(),
                 "no Azure credential found:\n"
                 "  - environment: env is not set up here\n"
                 "  - workload identity: wi is not set up here\n"
                 "  - managed identity: mi is not set up here\n"
                 "  - Azure CLI: az is not set up here");
  }
}

TEST(ChainedTokenCredentialTest, SummaryDoesNotRepeatAKindNameTheReasonStartsWith) {
  class Named final : public http::TokenCredential {
  public:
    [[nodiscard]] http::AccessToken get_token(std::string const& /*scope*/) const override {
      throw CredentialUnavailable("Azure CLI: az is not installed");
    }
    [[nodiscard]] std::string describe() const override { return "az"; }
  };
  ChainedTokenCredential const chain{{{"Azure CLI", std::make_shared<Named>()}}};
  try {
    (void)chain.get_token("arm");
    FAIL() << "expected AuthenticationError";
  } catch (core::AuthenticationError const& error) {
    EXPECT_STREQ(error.what(), "no Azure credential found:\n  - Azure CLI: az is not installed");
  }
}

TEST(ChainedTokenCredentialTest, DescribesItsLinksUntilOneIsChosen) {
  ChainedTokenCredential const two{{{"environment", scripted("env", Mode::Unavailable)},
                                    {"Azure CLI", scripted("az", Mode::Works)}}};
  EXPECT_EQ(two.describe(), "the credential chain (environment, Azure CLI)");
  ChainedTokenCredential const one{{{"environment", scripted("env", Mode::Works)}}};
  EXPECT_EQ(one.describe(), "env credential");
}

TEST(ChainedTokenCredentialTest, InvalidatePassesToTheChosenCredentialOnly) {
  auto const first = scripted("first", Mode::Unavailable);
  auto const second = scripted("second", Mode::Works);
  ChainedTokenCredential const chain{{{"a", first}, {"b", second}}};
  chain.invalidate("arm"); // nothing chosen yet: nothing to tell
  EXPECT_EQ(second->invalidations(), 0);
  (void)chain.get_token("arm");
  chain.invalidate("arm");
  EXPECT_EQ(first->invalidations(), 0);
  EXPECT_EQ(second->invalidations(), 1);
}

TEST(ChainedTokenCredentialTest, ConcurrentFirstCallersWalkTheChainOnce) {
  auto const unavailable = scripted("env", Mode::Unavailable);
  auto const works = scripted("cli", Mode::Works);
  ChainedTokenCredential const chain{{{"environment", unavailable}, {"Azure CLI", works}}};
  std::vector<std::future<http::AccessToken>> callers;
  for (int i = 0; i < 8; ++i) {
    callers.push_back(std::async(
        std::launch::async, [&chain, i] { return chain.get_token("scope" + std::to_string(i)); }));
  }
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(callers[static_cast<std::size_t>(i)].get().token, "cli:scope" + std::to_string(i));
  }
  EXPECT_EQ(unavailable->calls(), 1);
  EXPECT_EQ(works->calls(), 8);
}

TEST(ChainedTokenCredentialTest, EmptyChainOrNullLinkIsABug) {
  EXPECT_THROW(ChainedTokenCredential{{}}, core::Error);
  EXPECT_THROW((ChainedTokenCredential{{{"x", nullptr}}}), core::Error);
}

} // namespace chained_token_credential_test
} // namespace wisetup::identity
