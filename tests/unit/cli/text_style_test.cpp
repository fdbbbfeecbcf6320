#include <wisetup/cli/text_reporter.hpp>
#include <wisetup/cli/text_style.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace wisetup::cli {
namespace {

TEST(TextStyleTest, ColourOnlyOnATerminalWithoutNoColor) {
  std::istringstream in;
  std::ostringstream out;
  Console const terminal{in, out, out, false, false, true};
  Console const piped{in, out, out, false, false, false};
  CommandOptions options;
  core::MapEnvironment const plain{{}};
  EXPECT_TRUE(text_style(options, terminal, plain).colour);
  EXPECT_FALSE(text_style(options, piped, plain).colour);
  EXPECT_FALSE(text_style(options, terminal, core::MapEnvironment{{{"NO_COLOR", "1"}}}).colour);
  // no-color.org: an empty NO_COLOR is as good as unset.
  EXPECT_TRUE(text_style(options, terminal, core::MapEnvironment{{{"NO_COLOR", ""}}}).colour);
  options.no_color = true;
  EXPECT_FALSE(text_style(options, terminal, plain).colour);
  options.quiet = true;
  EXPECT_TRUE(text_style(options, piped, plain).quiet);
}

RunSummary done() {
  RunSummary summary;
  summary.kube_namespace = "default";
  summary.service_account = "sa";
  summary.identity = azure::UserAssignedIdentity{"/id", "myIdentity", "eastus", "c1", "p1", "t1"};
  summary.steps.push_back({"identity", workflow::StepStatus::Created, "created", {}, nullptr});
  return summary;
}

TEST(TextStyleTest, StatusesArePaintedAndStillLineUp) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  TextReporter reporter{ConfirmationPrompt{true, false, in, err}, out, err, false, {true, false}};
  reporter.step_finished(done().steps.front());
  EXPECT_EQ(out.str(), "  identity              \033[32mcreated     \033[0mcreated (0 ms)\n");
}

TEST(TextStyleTest, QuietPrintsTheOutputsAndNothingElse) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  TextReporter reporter{ConfirmationPrompt{true, false, in, err}, out, err, false, {false, true}};
  auto const summary = done();
  reporter.step_progress("cluster", "Updating", std::chrono::seconds{20});
  reporter.step_finished(summary.steps.front());
  reporter.finish(summary);
  EXPECT_EQ(out.str(),
            "  client id             c1\n  principal id          p1\n  tenant id             t1\n");
  EXPECT_EQ(err.str(), "");
}

} // namespace
} // namespace wisetup::cli
