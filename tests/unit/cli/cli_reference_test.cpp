#include <wisetup/cli/cli_reference.hpp>
#include <wisetup/cli/commands.hpp>
#include <wisetup/core/error.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace wisetup::cli {
namespace {

/// The real command line, as run_app defines it.
class CliReferenceTest : public ::testing::Test {
protected:
  CliReferenceTest() { add_commands(app, console, std::make_shared<CommandOptions>(), exit_code); }

  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  Console console{in, out, err, false, false};
  core::ExitCode exit_code = core::ExitCode::Ok;
  CLI::App app{"wi-setup: test", "wi-setup"};
};

TEST_F(CliReferenceTest, EveryShellGetsEverySubcommandFlagAndChoice) {
  for (auto const* shell : {"bash", "zsh", "fish"}) {
    auto const script = completion_script(app, shell);
    for (auto const* word : {"plan",
                             "enable",
                             "verify",
                             "disable",
                             "completion",
                             "repair-issuer",
                             "skip-access-check",
                             "keep-identity",
                             "exchange",
                             "workload-identity",
                             "AzureUSGovernment",
                             "json",
                             "fish"}) {
      EXPECT_NE(script.find(word), std::string::npos) << word << " missing for " << shell;
    }
    // The hidden manual command is not offered.
    EXPECT_EQ(script.find(" man "), std::string::npos) << shell;
  }
  EXPECT_THROW((void)completion_script(app, "tcsh"), core::InvalidInput);
}

TEST_F(CliReferenceTest, TheManualListsFlagsTheirVariablesAndTheExitCodes) {
  auto const page = man_page(app, "9.9.9");
  EXPECT_EQ(page.rfind(".TH WI\\-SETUP 1", 0), 0U);
  EXPECT_NE(page.find("wi-setup 9.9.9"), std::string::npos);
  EXPECT_NE(page.find("\\fB\\-\\-skip\\-access\\-check\\fR"), std::string::npos);
  EXPECT_NE(page.find("Environment: \\fBUSER_ASSIGNED_IDENTITY_NAME\\fR"), std::string::npos);
  EXPECT_NE(page.find(".B 143"), std::string::npos);
  // No line may start with a roff control character that is not a request of ours.
  std::istringstream lines{page};
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with('\'')) {
      ADD_FAILURE() << line;
    }
  }
}

} // namespace
} // namespace wisetup::cli
