#include "sim_fixture.hpp"

namespace wisetup::sim::testing {
namespace arm_role_assignments_test {

std::string const k_version = "?api-version=2022-04-01";
std::string const k_secrets_user = "4633458b-17de-408a-b874-0445c86b69e6";
std::string const k_bob = "cccccccc-0000-4000-8000-000000000003";

class ArmRoleAssignmentsTest : public SimFixture {
protected:
  static std::string scope() { return vault_path("keyvault-wi-rbac"); }
  static std::string assignment_path(std::string const& name) {
    return scope() + "/providers/Microsoft.Authorization/roleAssignments/" + name;
  }
  static nlohmann::json body(std::string const& principal,
                             std::string const& role = k_secrets_user,
                             std::string const& type = "ServicePrincipal") {
    nlohmann::json properties = {{"roleDefinitionId",
                                  std::string("/subscriptions/") + k_subscription +
                                      "/providers/Microsoft.Authorization/roleDefinitions/" + role},
                                 {"principalId", principal}};
    if (!type.empty()) {
      properties["principalType"] = type;
    }
    return {{"properties", properties}};
  }

  std::string identity_principal() {
    Answer const identity =
        arm("PUT", identity_path("app-id") + "?api-version=2023-01-31", {{"location", "eastus"}});
    return identity.json["properties"]["principalId"];
  }
};

TEST_F(ArmRoleAssignmentsTest, CreatesAssignmentForAnIdentity) {
  std::string const principal = identity_principal();
  std::string const name = "11111111-2222-4333-8444-555555555555";
  Answer const created = arm("PUT", assignment_path(name) + k_version, body(principal));
  ASSERT_EQ(created.status, 201) << created.text;
  EXPECT_EQ(created.json["id"], assignment_path(name));
  EXPECT_EQ(created.json["name"], name);
  EXPECT_EQ(created.json["type"], "Microsoft.Authorization/roleAssignments");
  EXPECT_EQ(created.json["properties"]["scope"], scope());
  EXPECT_EQ(created.json["properties"]["principalType"], "ServicePrincipal");
  EXPECT_EQ(arm("PUT", assignment_path(name) + k_version, body(principal)).status, 201)
      << "an identical re-PUT succeeds";
  EXPECT_EQ(arm("GET", assignment_path(name) + k_version).status, 200);
}

TEST_F(ArmRoleAssignmentsTest, SameContentUnderAnotherNameIsRoleAssignmentExists) {
  std::string const principal = identity_principal();
  ASSERT_EQ(arm("PUT",
                assignment_path("11111111-2222-4333-8444-555555555555") + k_version,
                body(principal))
                .status,
            201);
  Answer const again = arm(
      "PUT", assignment_path("99999999-2222-4333-8444-555555555555") + k_version, body(principal));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json["error"]["code"], "RoleAssignmentExists");
  EXPECT_EQ(again.json["error"]["message"],
            "The role assignment already exists. The ID of the existing role assignment is "
            "11111111222243338444555555555555.");
}

TEST_F(ArmRoleAssignmentsTest, SameNameWithOtherContentIsNotPermitted) {
  std::string const principal = identity_principal();
  std::string const path = assignment_path("11111111-2222-4333-8444-555555555555") + k_version;
  ASSERT_EQ(arm("PUT", path, body(principal)).status, 201);
  Answer const changed = arm("PUT", path, body(principal, "21090545-7ca7-4776-b22c-e363652d74d2"));
  EXPECT_EQ(changed.status, 409);
  EXPECT_EQ(changed.json["error"]["code"], "RoleAssignmentUpdateNotPermitted");
}

TEST_F(ArmRoleAssignmentsTest, ValidatesNameRoleAndPrincipal) {
  std::string const principal = identity_principal();
  Answer const bad_name = arm("PUT", assignment_path("not-a-guid") + k_version, body(principal));
  EXPECT_EQ(bad_name.status, 400);
  EXPECT_EQ(bad_name.json["error"]["code"], "InvalidRoleAssignmentId");
  Answer const bad_role = arm("PUT",
                              assignment_path("11111111-2222-4333-8444-555555555555") + k_version,
                              body(principal, "00000000-1111-4000-8000-000000000000"));
  EXPECT_EQ(bad_role.status, 404);
  EXPECT_EQ(bad_role.json["error"]["code"], "RoleDefinitionDoesNotExist");
  std::string const unknown = "abababab-0000-4000-8000-000000000000";
  Answer const not_found = arm("PUT",
                               assignment_path("11111111-2222-4333-8444-555555555555") + k_version,
                               body(unknown, k_secrets_user, ""));
  EXPECT_EQ(not_found.status, 400);
  EXPECT_EQ(not_found.json["error"]["code"], "PrincipalNotFound");
  EXPECT_EQ(
      arm("PUT", assignment_path("11111111-2222-4333-8444-555555555555") + k_version, body(unknown))
          .status,
      201)
      << "principalType skips the directory look-up";
}

TEST_F(ArmRoleAssignmentsTest, ListFiltersByPrincipalAndDeleteAnswers200Then204) {
  std::string const principal = identity_principal();
  std::string const name = "11111111-2222-4333-8444-555555555555";
  ASSERT_EQ(arm("PUT", assignment_path(name) + k_version, body(principal)).status, 201);

  Answer const all =
      arm("GET", scope() + "/providers/Microsoft.Authorization/roleAssignments" + k_version);
  ASSERT_EQ(all.status, 200) << all.text;
  EXPECT_EQ(all.json["value"].size(), 2u) << "the seeded assignment of another user is there too";
  Answer const mine = arm("GET",
                          scope() + "/providers/Microsoft.Authorization/roleAssignments" +
                              k_version + "&$filter=principalId%20eq%20%27" + principal + "%27");
  ASSERT_EQ(mine.json["value"].size(), 1u);
  EXPECT_EQ(mine.json["value"][0]["name"], name);
  Answer const at_group =
      arm("GET",
          std::string("/subscriptions/") + k_subscription +
              "/resourceGroups/myResourceGroup/providers/Microsoft.Authorization/roleAssignments" +
              k_version + "&$filter=atScope()");
  EXPECT_EQ(at_group.json["value"].size(), 0u) << "vault assignments are below the group";
  Answer const bad_filter = arm("GET",
                                scope() + "/providers/Microsoft.Authorization/roleAssignments" +
                                    k_version + "&$filter=roleName%20eq%20%27x%27");
  EXPECT_EQ(bad_filter.status, 400);

  Answer const deleted = arm("DELETE", assignment_path(name) + k_version);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.json["name"], name);
  EXPECT_EQ(arm("DELETE", assignment_path(name) + k_version).status, 204);
}

TEST_F(ArmRoleAssignmentsTest, LimitedPrincipalCannotWriteAssignments) {
  std::string const limited =
      request_token("bbbbbbbb-0000-4000-8000-000000000003", "sim-limited-secret-value")
          .json["access_token"];
  Answer const answer = send("PUT",
                             assignment_path("11111111-2222-4333-8444-555555555555") + k_version,
                             body(k_bob, k_secrets_user, "User").dump(),
                             "application/json",
                             {{"Authorization", "Bearer " + limited}});
  EXPECT_EQ(answer.status, 403);
  EXPECT_NE(answer.json["error"]["message"].get<std::string>().find(
                "Microsoft.Authorization/roleAssignments/write"),
            std::string::npos);
}

} // namespace arm_role_assignments_test
} // namespace wisetup::sim::testing
