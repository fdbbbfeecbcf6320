// No secret or token appears in any output, at the highest verbosity, on success or failure.
#include "integration/support/wi_setup.hpp"

#include <gtest/gtest.h>

namespace wisetup::integration {
namespace {

TEST(SecretsTest, NothingSecretIsPrintedAtTheHighestVerbosity) {
  auto seed = Simulator::default_seed();
  std::string const canary = "CANARY-secret-7f3a9c";
  seed["servicePrincipals"][0]["clientSecret"] = canary;
  Simulator simulator{seeded(seed)};
  auto const environment = tutorial_environment(simulator);

  std::string printed;
  for (auto const& output : {"text", "json"}) {
    auto const result = run_enable(simulator, {"--yes", "-vv", "--output", output}, environment);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    printed += result.out + result.err;
  }
  EXPECT_NE(printed.find("GET https://127.0.0.1"), std::string::npos) << "-vv logs requests";
  EXPECT_EQ(printed.find(canary), std::string::npos);
  EXPECT_EQ(printed.find("Bearer "), std::string::npos);
  EXPECT_EQ(printed.find("eyJ"), std::string::npos); // no JWT-looking token
  EXPECT_EQ(printed.find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(printed.find("client_secret"), std::string::npos);
}

} // namespace
} // namespace wisetup::integration
