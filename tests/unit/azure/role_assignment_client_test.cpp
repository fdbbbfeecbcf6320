#include "arm_fixture.hpp"

#include <wisetup/azure/role_assignment_client.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>

#include <regex>

namespace wisetup::azure {
namespace role_assignment_client_test {

using json = nlohmann::json;

constexpr char const* k_scope =
    "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1";
constexpr char const* k_role =
    "/subscriptions/sub1/providers/Microsoft.Authorization/roleDefinitions/"
    "4633458b-17de-408a-b874-0445c86b69e6";

class RoleAssignmentTest : public ArmFixture {
protected:
  RoleAssignmentClient roles{arm};
};

TEST_F(RoleAssignmentTest, NameIsADeterministicVersion5Uuid) {
  auto const name = RoleAssignmentClient::name_for(k_scope, k_role, "pid");
  EXPECT_TRUE(std::regex_match(
      name, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << name;
  // uuid.uuid5 of Python over the same namespace and name: existing assignments keep their names.
  EXPECT_EQ(name, "1e344ed9-f2d8-5b70-800c-c43acf7ee704");
  EXPECT_EQ(RoleAssignmentClient::name_for(k_scope, k_role, "pid"), name);
  // Case and a trailing slash do not make another assignment.
  EXPECT_EQ(RoleAssignmentClient::name_for(std::string(k_scope) + "/", k_role, "PID"), name);
}

TEST_F(RoleAssignmentTest, NameDiffersPerScopeRoleAndPrincipal) {
  auto const name = RoleAssignmentClient::name_for(k_scope, k_role, "pid");
  EXPECT_NE(RoleAssignmentClient::name_for(k_scope, k_role, "pid2"), name);
  EXPECT_NE(RoleAssignmentClient::name_for(k_scope, std::string(k_role) + "0", "pid"), name);
  EXPECT_NE(RoleAssignmentClient::name_for(std::string(k_scope) + "2", k_role, "pid"), name);
}

TEST_F(RoleAssignmentTest, ListFiltersByPrincipalAndFollowsNextLink) {
  auto const next = std::string(k_endpoint) + k_scope +
                    "/providers/Microsoft.Authorization/roleAssignments?$skiptoken=2";
  transport->respond_json(200,
                          json{{"value",
                                {{{"id", "/a/1"},
                                  {"name", "n1"},
                                  {"properties",
                                   {{"scope", k_scope},
                                    {"roleDefinitionId", k_role},
                                    {"principalId", "pid"},
                                    {"principalType", "ServicePrincipal"}}}}}},
                               {"nextLink", next}}
                              .dump());
  transport->respond_json(200, R"({"value": [{"id": "/a/2", "name": "n2", "properties": {}}]})");

  auto const assignments = roles.list_for_principal(k_scope, "pid");

  ASSERT_EQ(assignments.size(), 2U);
  EXPECT_EQ(assignments[0].id, "/a/1");
  EXPECT_EQ(assignments[0].name, "n1");
  EXPECT_EQ(assignments[0].scope, k_scope);
  EXPECT_EQ(assignments[0].role_definition_id, k_role);
  EXPECT_EQ(assignments[0].principal_id, "pid");
  EXPECT_EQ(assignments[0].principal_type, "ServicePrincipal");
  EXPECT_EQ(assignments[1].name, "n2");
  EXPECT_EQ(request(0).url,
            std::string(k_endpoint) + k_scope +
                "/providers/Microsoft.Authorization/roleAssignments"
                "?$filter=principalId%20eq%20%27pid%27&api-version=2022-04-01");
  EXPECT_EQ(request(1).url, next);
}

TEST_F(RoleAssignmentTest, CreatePutsUnderTheDeterministicName) {
  transport->respond_json(201, "{}");
  roles.create(k_scope, k_role, "pid", "ServicePrincipal");
  EXPECT_EQ(request(0).method, http::Method::Put);
  EXPECT_EQ(request(0).url,
            std::string(k_endpoint) + k_scope + "/providers/Microsoft.Authorization/" +
                "roleAssignments/" + RoleAssignmentClient::name_for(k_scope, k_role, "pid") +
                "?api-version=2022-04-01");
  EXPECT_EQ(request_json(0),
            (json{{"properties",
                   {{"roleDefinitionId", k_role},
                    {"principalId", "pid"},
                    {"principalType", "ServicePrincipal"}}}}));
}

TEST_F(RoleAssignmentTest, ExistingAssignmentCountsAsDone) {
  transport->respond_json(409, R"({"error": {"code": "RoleAssignmentExists",
      "message": "The role assignment already exists."}})");
  EXPECT_NO_THROW(roles.create(k_scope, k_role, "pid", "ServicePrincipal"));
}

TEST_F(RoleAssignmentTest, OtherConflictsAreThrown) {
  transport->respond_json(409, R"({"error": {"code": "Conflict", "message": "x"}})");
  transport->respond_json(400, R"({"error": {"code": "PrincipalNotFound", "message": "x"}})");
  EXPECT_THROW(roles.create(k_scope, k_role, "pid", "ServicePrincipal"), http::ServiceError);
  EXPECT_THROW(roles.create(k_scope, k_role, "pid", "ServicePrincipal"), http::ServiceError);
}

TEST_F(RoleAssignmentTest, RemoveDeletesTheAssignmentById) {
  auto const id = std::string(k_scope) + "/providers/Microsoft.Authorization/roleAssignments/"
                                         "0f1e2d3c-4b5a-4678-9abc-def012345678";
  transport->respond(200, R"({"id": "x"})");
  transport->respond(204);
  transport->respond_json(404, R"({"error": {"code": "RoleAssignmentNotFound", "message": "x"}})");
  EXPECT_TRUE(roles.remove(id));
  EXPECT_TRUE(roles.remove(id));
  EXPECT_FALSE(roles.remove(id));
  EXPECT_EQ(request(0).method, http::Method::Delete);
  EXPECT_EQ(request(0).url, std::string(k_endpoint) + id + "?api-version=2022-04-01");
}

TEST_F(RoleAssignmentTest, RemoveRefusalIsThrown) {
  transport->respond_json(403, R"({"error": {"code": "AuthorizationFailed", "message": "x"}})");
  EXPECT_THROW((void)roles.remove(std::string(k_scope) +
                                  "/providers/Microsoft.Authorization/roleAssignments/n1"),
               http::ServiceError);
}

TEST_F(RoleAssignmentTest, RemoveRefusesWhatIsNotARoleAssignmentId) {
  EXPECT_THROW((void)roles.remove(k_scope), core::InvalidInput);
  EXPECT_THROW((void)roles.remove(std::string(k_scope) +
                                  "/providers/Microsoft.Authorization/roleAssignments/"),
               core::InvalidInput);
  EXPECT_THROW((void)roles.remove(std::string(k_scope) +
                                  "/providers/Microsoft.Authorization/roleAssignments/n1?x=1"),
               core::InvalidInput);
  EXPECT_THROW((void)roles.remove(std::string(k_scope) +
                                  "/providers/Microsoft.Authorization/roleAssignments/n1/extra"),
               core::InvalidInput);
  EXPECT_TRUE(transport->requests().empty());
}

} // namespace role_assignment_client_test
} // namespace wisetup::azure
