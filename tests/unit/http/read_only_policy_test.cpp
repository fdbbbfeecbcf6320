#include "support/fake_transport.hpp"
#include "support/manual_clock.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/read_only_policy.hpp>

#include <gtest/gtest.h>

namespace wisetup::http {
namespace {

using testing::FakeTransport;
using testing::ManualClock;

class ReadOnlyPolicyTest : public ::testing::Test {
protected:
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();

  [[nodiscard]] std::shared_ptr<Pipeline> pipeline(bool read_only) const {
    PipelineOptions options;
    options.read_only = read_only;
    return make_pipeline(options, transport, nullptr, {}, std::make_shared<ManualClock>());
  }
};

TEST_F(ReadOnlyPolicyTest, RefusesAPutWithoutReachingTheTransport) {
  auto const guarded = pipeline(true);
  try {
    (void)guarded->send(Request{Method::Put,
                                "https://arm.test/subscriptions/s/resourceGroups/g/providers/"
                                "Microsoft.ManagedIdentity/userAssignedIdentities/id1"
                                "?api-version=2023-01-31&secret=x",
                                {},
                                R"({"location":"eastus"})"});
    FAIL() << "expected core::Error";
  } catch (core::Error const& error) {
    EXPECT_EQ(std::string(error.what()),
              "internal error: plan tried to write: PUT https://arm.test/subscriptions/s/"
              "resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1");
    EXPECT_EQ(error.exit_code(), core::ExitCode::Unexpected);
  }
  EXPECT_TRUE(transport->requests().empty());
}

TEST_F(ReadOnlyPolicyTest, RefusesPatchDeleteAndWritingPosts) {
  auto const guarded = pipeline(true);
  EXPECT_THROW((void)guarded->send(Request{Method::Patch, "https://api.test/api/v1/x", {}, {}}),
               core::Error);
  EXPECT_THROW((void)guarded->send(Request{Method::Delete, "https://arm.test/a", {}, {}}),
               core::Error);
  EXPECT_THROW(
      (void)guarded->send(Request{Method::Post, "https://api.test/api/v1/namespaces", {}, {}}),
      core::Error);
  EXPECT_THROW((void)guarded->send(Request{Method::Post,
                                           "https://api.test/api/v1/namespaces/ns/"
                                           "serviceaccounts/sa/token",
                                           {},
                                           {}}),
               core::Error);
  EXPECT_THROW((void)guarded->send(Request{Method::Post,
                                           "https://arm.test/subscriptions/s/resourceGroups/g/"
                                           "providers/Microsoft.ContainerService/managedClusters/"
                                           "c/listClusterAdminCredential?api-version=1",
                                           {},
                                           {}}),
               core::Error);
  // The allowed ending must end the path, not just appear in the query.
  EXPECT_THROW((void)guarded->send(Request{
                   Method::Post, "https://arm.test/write?x=/listClusterUserCredential", {}, {}}),
               core::Error);
  EXPECT_TRUE(transport->requests().empty());
}

TEST_F(ReadOnlyPolicyTest, LetsReadsAndSignInsThrough) {
  for (int i = 0; i < 7; ++i) {
    transport->respond(200, "{}");
  }
  auto const guarded = pipeline(true);
  EXPECT_EQ(guarded->send(Request{Method::Get, "https://arm.test/a?api-version=1", {}, {}}).status,
            200);
  EXPECT_EQ(guarded
                ->send(Request{Method::Post,
                               "https://arm.test/subscriptions/s/resourceGroups/g/providers/"
                               "Microsoft.ContainerService/managedClusters/c/"
                               "listClusterUserCredential?api-version=2024-05-01",
                               {},
                               {}})
                .status,
            200);
  EXPECT_EQ(
      guarded->send(Request{Method::Post, "https://login.test/tenant/oauth2/v2.0/token", {}, "a"})
          .status,
      200);
  EXPECT_EQ(guarded
                ->send(Request{Method::Post,
                               "http://169.254.169.254/metadata/identity/oauth2/token?resource=x",
                               {},
                               {}})
                .status,
            200);
  EXPECT_EQ(
      guarded->send(Request{Method::Post, "https://login.test/t/oauth2/v2.0/devicecode", {}, {}})
          .status,
      200);
  EXPECT_EQ(guarded
                ->send(Request{Method::Post,
                               "https://api.test/apis/authorization.k8s.io/v1/"
                               "selfsubjectaccessreviews",
                               {},
                               {}})
                .status,
            200);
  // ARM matches action names without regard to case.
  EXPECT_EQ(
      guarded
          ->send(Request{
              Method::Post, "https://arm.test/x/listclusterusercredential?api-version=1", {}, {}})
          .status,
      200);
  EXPECT_EQ(transport->requests().size(), 7U);
}

TEST_F(ReadOnlyPolicyTest, OffByDefault) {
  transport->respond(201);
  EXPECT_EQ(pipeline(false)->send(Request{Method::Put, "https://arm.test/a", {}, {}}).status, 201);
  EXPECT_EQ(transport->requests().size(), 1U);
}

TEST(ReadOnlyPolicyAllows, ClassifiesRequests) {
  EXPECT_TRUE(ReadOnlyPolicy::allows(Method::Get, "https://a.test/x"));
  EXPECT_FALSE(ReadOnlyPolicy::allows(Method::Put, "https://a.test/x/listClusterUserCredential"));
  EXPECT_TRUE(ReadOnlyPolicy::allows(Method::Post, "https://a.test/t/oauth2/token/"));
  EXPECT_FALSE(ReadOnlyPolicy::allows(Method::Post, "https://a.test"));
  EXPECT_FALSE(ReadOnlyPolicy::allows(Method::Post, "https://a.test/x/register"));
}

} // namespace
} // namespace wisetup::http
