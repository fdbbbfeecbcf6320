#include <wisetup/cli/confirmation_prompt.hpp>
#include <wisetup/cli/json_reporter.hpp>
#include <wisetup/cli/text_reporter.hpp>
#include <wisetup/core/error.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace wisetup::cli {
namespace {

TEST(ConfirmationPromptTest, YesFlagAnswersWithoutAsking) {
  std::istringstream in;
  std::ostringstream out;
  EXPECT_TRUE(ConfirmationPrompt(true, false, in, out).ask("restart?"));
  EXPECT_TRUE(out.str().empty());
}

TEST(ConfirmationPromptTest, NoTerminalMeansNoAndSaysHowToConfirm) {
  std::istringstream in{"y\n"};
  std::ostringstream out;
  EXPECT_FALSE(ConfirmationPrompt(false, false, in, out).ask("restart?"));
  EXPECT_NE(out.str().find("--yes"), std::string::npos);
}

TEST(ConfirmationPromptTest, OnATerminalTheAnswerDecides) {
  std::ostringstream out;
  std::istringstream yes{"y\n"};
  EXPECT_TRUE(ConfirmationPrompt(false, true, yes, out).ask("restart?"));
  std::istringstream no{"\n"};
  EXPECT_FALSE(ConfirmationPrompt(false, true, no, out).ask("restart?"));
  std::istringstream closed;
  EXPECT_FALSE(ConfirmationPrompt(false, true, closed, out).ask("restart?"));
}

RunSummary failed_summary() {
  RunSummary summary;
  summary.kube_namespace = "default";
  summary.service_account = "sa";
  summary.identity = azure::UserAssignedIdentity{"/id", "myIdentity", "eastus", "c1", "p1", "t1"};
  summary.steps.push_back({"identity", workflow::StepStatus::Created, "created", {}, nullptr});
  summary.steps.push_back({"cluster",
                           workflow::StepStatus::Failed,
                           "",
                           std::chrono::milliseconds{1500},
                           std::make_exception_ptr(core::TimeoutError("update took too long"))});
  summary.exit_code = core::ExitCode::Timeout;
  return summary;
}

TEST(JsonReporterTest, DocumentFollowsTheSchema) {
  auto const document = JsonReporter::to_json(failed_summary());
  EXPECT_EQ(document["schemaVersion"], 1);
  EXPECT_EQ(document["succeeded"], false);
  EXPECT_EQ(document["exitCode"], 5);
  EXPECT_EQ(document["steps"][0]["status"], "created");
  EXPECT_EQ(document["steps"][1]["status"], "failed");
  EXPECT_EQ(document["steps"][1]["durationMs"], 1500);
  EXPECT_EQ(document["outputs"]["identity"]["clientId"], "c1");
  EXPECT_FALSE(document["outputs"].contains("issuerUrl"));
  EXPECT_EQ(document["errors"][0]["step"], "cluster");
  EXPECT_EQ(document["errors"][0]["message"], "update took too long");
  EXPECT_EQ(document["errors"][0]["exitCode"], 5);
}

TEST(TextReporterTest, FailedStepIsExplainedOnStderr) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  TextReporter reporter{ConfirmationPrompt(true, false, in, err), out, err, false};
  auto const summary = failed_summary();
  for (auto const& step : summary.steps) {
    reporter.step_finished(step);
  }
  reporter.finish(summary);
  EXPECT_NE(err.str().find("error: cluster: update took too long"), std::string::npos);
  EXPECT_NE(out.str().find("identity"), std::string::npos);
  EXPECT_NE(out.str().find("re-run"), std::string::npos);
}

TEST(TextReporterTest, ProgressInALogIsThrottledToOneLinePerTenSeconds) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  TextReporter reporter{ConfirmationPrompt(true, false, in, err), out, err, false};
  for (int second = 0; second <= 25; ++second) {
    reporter.step_progress("cluster", "Updating", std::chrono::seconds{second});
  }
  auto const text = err.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3); // at 0, 10 and 20 s
}

RunSummary plan_summary() {
  RunSummary summary;
  summary.command = "plan";
  summary.plan_only = true;
  workflow::StepReport cluster;
  cluster.name = "cluster";
  cluster.status = workflow::StepStatus::Planned;
  cluster.drift = workflow::Drift::Update;
  cluster.detail = "will enable the OIDC issuer";
  cluster.changes = {{"oidcIssuerProfile.enabled", "false", "true"}};
  cluster.warning = "restarts its API server";
  workflow::StepReport identity;
  identity.name = "identity";
  identity.status = workflow::StepStatus::UpToDate;
  summary.steps = {cluster, identity};
  summary.exit_code = core::ExitCode::Pending;
  return summary;
}

TEST(JsonReporterTest, PlanListsEachStepsChangeAndItsFields) {
  auto const document = JsonReporter::to_json(plan_summary());
  EXPECT_EQ(document["command"], "plan");
  EXPECT_EQ(document["exitCode"], 8);
  EXPECT_EQ(document["changesPending"], true);
  EXPECT_EQ(document["steps"][0]["change"], "update");
  EXPECT_EQ(document["steps"][0]["changes"][0]["field"], "oidcIssuerProfile.enabled");
  EXPECT_EQ(document["steps"][0]["changes"][0]["before"], "false");
  EXPECT_EQ(document["steps"][0]["changes"][0]["after"], "true");
  EXPECT_EQ(document["steps"][0]["warning"], "restarts its API server");
  EXPECT_EQ(document["steps"][1]["change"], "none");
}

TEST(TextReporterTest, PlanShowsFieldChangesAndTheCount) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  TextReporter reporter{ConfirmationPrompt(true, false, in, err), out, err, false};
  auto const summary = plan_summary();
  for (auto const& step : summary.steps) {
    reporter.step_finished(step);
  }
  reporter.finish(summary);
  EXPECT_NE(out.str().find("oidcIssuerProfile.enabled: false -> true"), std::string::npos);
  EXPECT_NE(out.str().find("warning: restarts its API server"), std::string::npos);
  EXPECT_NE(out.str().find("Plan: 0 to create, 1 to update, 0 to delete"), std::string::npos);
}

TEST(TextReporterTest, ANullErrorIsUnexpectedNotACrash) {
  EXPECT_EQ(error_exit_code(nullptr), core::ExitCode::Unexpected);
  EXPECT_EQ(error_message(nullptr), "unknown error (none was recorded)");
}

TEST(TextReporterTest, DurationsReadWell) {
  EXPECT_EQ(format_duration(std::chrono::milliseconds{85}), "85 ms");
  EXPECT_EQ(format_duration(std::chrono::milliseconds{5210}), "5.21 s");
}

} // namespace
} // namespace wisetup::cli
