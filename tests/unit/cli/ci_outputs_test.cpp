#include <wisetup/cli/ci_outputs.hpp>
#include <wisetup/core/error.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wisetup::cli {
namespace {

RunSummary summary_with_a_failure() {
  RunSummary summary;
  summary.kube_namespace = "default";
  summary.service_account = "sa";
  summary.identity = azure::UserAssignedIdentity{"/id", "myIdentity", "eastus", "c1", "p1", "t1"};
  summary.issuer_url = "https://issuer.example/t/x/";
  summary.steps.push_back(
      {"identity", workflow::StepStatus::Created, "created myIdentity", {}, nullptr});
  summary.steps.push_back(
      {"cluster",
       workflow::StepStatus::Failed,
       "",
       std::chrono::milliseconds{1500},
       std::make_exception_ptr(core::Error("100% broken\nsecond line, with: colons"))});
  summary.exit_code = core::ExitCode::ServiceError;
  return summary;
}

std::string read(std::filesystem::path const& path) {
  std::ifstream file{path};
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class CiOutputsTest : public ::testing::Test {
protected:
  std::filesystem::path directory =
      std::filesystem::temp_directory_path() /
      ("wisetup-ci-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { std::filesystem::create_directories(directory); }
  void TearDown() override { std::filesystem::remove_all(directory); }
};

TEST(CiDetectionTest, GitHubActionsAndAzurePipelinesByTheirVariables) {
  EXPECT_EQ(detect_ci(core::MapEnvironment{{{"GITHUB_ACTIONS", "true"}}}), CiSystem::GitHubActions);
  EXPECT_EQ(detect_ci(core::MapEnvironment{{{"TF_BUILD", "True"}}}), CiSystem::AzurePipelines);
  EXPECT_EQ(detect_ci(core::MapEnvironment{{{"GITHUB_ACTIONS", "false"}}}), CiSystem::None);
  EXPECT_EQ(detect_ci(core::MapEnvironment{{}}), CiSystem::None);
}

TEST_F(CiOutputsTest, GitHubGetsGroupsEscapedAnnotationsOutputsAndASummary) {
  auto const outputs = directory / "output";
  auto const step_summary = directory / "summary.md";
  { std::ofstream{outputs} << "earlier=kept\n"; }
  core::MapEnvironment const environment{
      {{"GITHUB_OUTPUT", outputs.string()}, {"GITHUB_STEP_SUMMARY", step_summary.string()}}};
  std::ostringstream out;
  publish_to_ci(summary_with_a_failure(), CiSystem::GitHubActions, environment, out, false);

  auto const log = out.str();
  EXPECT_NE(log.find("::group::identity: created\ncreated myIdentity\n::endgroup::\n"),
            std::string::npos)
      << log;
  // One annotation, one line: '%' and the line break escaped, ':' escaped only in the title.
  EXPECT_NE(log.find("::error title=wi-setup cluster::100%25 broken%0Asecond line, with: colons\n"),
            std::string::npos)
      << log;
  EXPECT_EQ(read(outputs),
            "earlier=kept\nclient-id=c1\nprincipal-id=p1\ntenant-id=t1\n"
            "issuer-url=https://issuer.example/t/x/\n");
  auto const markdown = read(step_summary);
  EXPECT_NE(markdown.find("| identity | created | created myIdentity |"), std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("| cluster | failed | 100% broken second line, with: colons |"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("| client-id | `c1` |"), std::string::npos) << markdown;
}

TEST_F(CiOutputsTest, AJsonDocumentOnStdoutGetsNoWorkflowCommandsButTheFilesDo) {
  auto const outputs = directory / "output";
  core::MapEnvironment const environment{{{"GITHUB_OUTPUT", outputs.string()}}};
  std::ostringstream out;
  publish_to_ci(summary_with_a_failure(), CiSystem::GitHubActions, environment, out, true);
  EXPECT_EQ(out.str(), "");
  EXPECT_NE(read(outputs).find("client-id=c1\n"), std::string::npos);
}

TEST_F(CiOutputsTest, AMultiLineValueUsesADelimiter) {
  auto const outputs = directory / "output";
  core::MapEnvironment const environment{{{"GITHUB_OUTPUT", outputs.string()}}};
  auto summary = summary_with_a_failure();
  summary.issuer_url = "https://issuer.example/\nclient-id=forged";
  std::ostringstream out;
  publish_to_ci(summary, CiSystem::GitHubActions, environment, out, false);
  auto const text = read(outputs);
  auto const start = text.find("issuer-url<<ghadelimiter_");
  ASSERT_NE(start, std::string::npos) << text;
  auto const delimiter = text.substr(start + 12, text.find('\n', start) - start - 12);
  EXPECT_NE(text.find("\n" + delimiter + "\n", start + 12 + delimiter.size()), std::string::npos);
}

TEST_F(CiOutputsTest, AnOutputFileThatCannotBeWrittenIsNamed) {
  core::MapEnvironment const environment{{{"GITHUB_OUTPUT", (directory / "no/such/dir").string()}}};
  std::ostringstream out;
  try {
    publish_to_ci(summary_with_a_failure(), CiSystem::GitHubActions, environment, out, false);
    FAIL() << "an unwritable $GITHUB_OUTPUT must be an error";
  } catch (core::Error const& error) {
    EXPECT_NE(std::string(error.what()).find("$GITHUB_OUTPUT"), std::string::npos);
  }
}

TEST(AzurePipelinesTest, GroupsIssuesAndOutputVariables) {
  std::ostringstream out;
  publish_to_ci(
      summary_with_a_failure(), CiSystem::AzurePipelines, core::MapEnvironment{{}}, out, false);
  auto const log = out.str();
  EXPECT_NE(log.find("##[group]identity: created\n"), std::string::npos) << log;
  EXPECT_NE(
      log.find("##vso[task.logissue type=error]100%AZP25 broken%0Asecond line, with: colons\n"),
      std::string::npos)
      << log;
  EXPECT_NE(log.find("##vso[task.setvariable variable=clientId;isOutput=true]c1\n"),
            std::string::npos)
      << log;
  EXPECT_NE(
      log.find(
          "##vso[task.setvariable variable=issuerUrl;isOutput=true]https://issuer.example/t/x/\n"),
      std::string::npos)
      << log;
}

TEST(CiOutputsPlanTest, APlanHasNoOutputs) {
  auto summary = summary_with_a_failure();
  summary.plan_only = true;
  EXPECT_TRUE(ci_outputs(summary).empty());
}

} // namespace
} // namespace wisetup::cli
