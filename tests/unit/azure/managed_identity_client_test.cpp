#include "arm_fixture.hpp"

#include <wisetup/azure/managed_identity_client.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/service_error.hpp>

namespace wisetup::azure {
namespace managed_identity_client_test {

using json = nlohmann::json;

constexpr char const* k_path =
    "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/"
    "userAssignedIdentities/id1";

class ManagedIdentityTest : public ArmFixture {
protected:
  ResourceRef ref{"sub1", "rg1", "id1"};
  ManagedIdentityClient identities{arm};
};

TEST_F(ManagedIdentityTest, PathIsEncoded) {
  EXPECT_EQ(identity_path(ref), k_path);
  EXPECT_EQ(identity_path({"sub1", "rg 1", "a/b?c"}),
            "/subscriptions/sub1/resourceGroups/rg%201/providers/"
            "Microsoft.ManagedIdentity/userAssignedIdentities/a%2Fb%3Fc");
  EXPECT_THROW((void)identity_path({"sub1", "", "id1"}), core::InvalidInput);
}

TEST_F(ManagedIdentityTest, GetParsesTheIdentityOrReturnsNullopt) {
  transport->respond_json(404, R"({"error": {"code": "ResourceNotFound", "message": "x"}})");
  transport->respond_json(200, R"({"id": "/x/id1", "name": "id1", "location": "eastus",
      "properties": {"clientId": "cid", "principalId": "pid", "tenantId": "tid"}})");

  EXPECT_FALSE(identities.get(ref).has_value());
  auto const identity = identities.get(ref);
  ASSERT_TRUE(identity.has_value());
  EXPECT_EQ(identity->id, "/x/id1");
  EXPECT_EQ(identity->name, "id1");
  EXPECT_EQ(identity->location, "eastus");
  EXPECT_EQ(identity->client_id, "cid");
  EXPECT_EQ(identity->principal_id, "pid");
  EXPECT_EQ(identity->tenant_id, "tid");
  EXPECT_EQ(request(1).url, std::string(k_endpoint) + k_path + "?api-version=2023-01-31");
}

TEST_F(ManagedIdentityTest, CreatePutsTheLocation) {
  transport->respond_json(201, R"({"name": "id1", "properties": {"clientId": "cid"}})");
  auto const identity = identities.create(ref, "westeurope");
  EXPECT_EQ(identity.client_id, "cid");
  EXPECT_EQ(request(0).method, http::Method::Put);
  EXPECT_EQ(request(0).url, std::string(k_endpoint) + k_path + "?api-version=2023-01-31");
  EXPECT_EQ(request_json(0), (json{{"location", "westeurope"}}));
}

TEST_F(ManagedIdentityTest, ListFollowsNextLink) {
  auto const next = std::string(k_endpoint) + k_path +
                    "/federatedIdentityCredentials?api-version=2023-01-31&$skiptoken=abc";
  transport->respond_json(200,
                          json{{"value",
                                {{{"name", "one"},
                                  {"properties",
                                   {{"issuer", "https://i/"},
                                    {"subject", "system:serviceaccount:a:b"},
                                    {"audiences", {"api://AzureADTokenExchange"}}}}}}},
                               {"nextLink", next}}
                              .dump());
  transport->respond_json(200, R"({"value": [{"name": "two", "properties": {}}]})");

  auto const credentials = identities.list_federated_credentials(ref);

  ASSERT_EQ(credentials.size(), 2U);
  EXPECT_EQ(credentials[0].name, "one");
  EXPECT_EQ(credentials[0].issuer, "https://i/");
  EXPECT_EQ(credentials[0].subject, "system:serviceaccount:a:b");
  EXPECT_EQ(credentials[0].audiences, (std::vector<std::string>{"api://AzureADTokenExchange"}));
  EXPECT_EQ(credentials[1].name, "two");
  EXPECT_TRUE(credentials[1].audiences.empty());
  EXPECT_EQ(request(0).url,
            std::string(k_endpoint) + k_path +
                "/federatedIdentityCredentials?api-version=2023-01-31");
  EXPECT_EQ(request(1).url, next);
}

TEST_F(ManagedIdentityTest, ListOfAMissingIdentityThrows) {
  transport->respond_json(404, R"({"error": {"code": "ResourceNotFound", "message": "x"}})");
  EXPECT_THROW((void)identities.list_federated_credentials(ref), http::ServiceError);
}

TEST_F(ManagedIdentityTest, PutFederatedCredentialSendsTheProperties) {
  transport->respond_json(201, R"({"name": "fic1", "properties": {"issuer": "https://i/",
      "subject": "system:serviceaccount:a:b", "audiences": ["api://AzureADTokenExchange"]}})");
  FederatedCredential const wanted{
      "fic1", "https://i/", "system:serviceaccount:a:b", {"api://AzureADTokenExchange"}};

  auto const written = identities.put_federated_credential(ref, wanted);

  EXPECT_EQ(written.name, "fic1");
  EXPECT_EQ(written.subject, "system:serviceaccount:a:b");
  EXPECT_EQ(request(0).method, http::Method::Put);
  EXPECT_EQ(request(0).url,
            std::string(k_endpoint) + k_path +
                "/federatedIdentityCredentials/fic1?api-version=2023-01-31");
  EXPECT_EQ(request_json(0), json::parse(R"({"properties": {"issuer": "https://i/",
      "subject": "system:serviceaccount:a:b", "audiences": ["api://AzureADTokenExchange"]}})"));
}

TEST_F(ManagedIdentityTest, DeleteFederatedCredentialSendsDelete) {
  transport->respond(200, R"({"name": "fic1"})");
  transport->respond(204);
  EXPECT_TRUE(identities.delete_federated_credential(ref, "fic1"));
  EXPECT_TRUE(identities.delete_federated_credential(ref, "fic/2"));
  EXPECT_EQ(request(0).method, http::Method::Delete);
  EXPECT_EQ(request(0).url,
            std::string(k_endpoint) + k_path +
                "/federatedIdentityCredentials/fic1?api-version=2023-01-31");
  EXPECT_TRUE(request(0).body.empty());
  EXPECT_EQ(request(1).url,
            std::string(k_endpoint) + k_path +
                "/federatedIdentityCredentials/fic%2F2?api-version=2023-01-31");
}

TEST_F(ManagedIdentityTest, DeleteFederatedCredentialAlreadyGoneIsFalse) {
  transport->respond_json(404, R"({"error": {"code": "ResourceNotFound", "message": "x"}})");
  EXPECT_FALSE(identities.delete_federated_credential(ref, "fic1"));
}

TEST_F(ManagedIdentityTest, DeleteFederatedCredentialOfAMissingParentOrGroupThrows) {
  transport->respond_json(404, R"({"error": {"code": "ResourceGroupNotFound", "message": "x"}})");
  transport->respond_json(404, R"({"error": {"code": "ParentResourceNotFound", "message": "x"}})");
  transport->respond_json(409, R"({"error": {"code": "Conflict", "message": "x"}})");
  EXPECT_THROW((void)identities.delete_federated_credential(ref, "fic1"), http::ServiceError);
  EXPECT_THROW((void)identities.delete_federated_credential(ref, "fic1"), http::ServiceError);
  EXPECT_THROW((void)identities.delete_federated_credential(ref, "fic1"), http::ServiceError);
  EXPECT_THROW((void)identities.delete_federated_credential(ref, ""), core::InvalidInput);
  EXPECT_EQ(transport->requests().size(), 3U);
}

TEST_F(ManagedIdentityTest, DeleteIdentity) {
  transport->respond(200, R"({"name": "id1"})");
  transport->respond(204);
  transport->respond_json(404, R"({"error": {"code": "ResourceNotFound", "message": "x"}})");
  transport->respond_json(404, R"({"error": {"code": "ResourceGroupNotFound", "message": "x"}})");
  transport->respond_json(403, R"({"error": {"code": "AuthorizationFailed", "message": "x"}})");
  EXPECT_TRUE(identities.delete_identity(ref));
  EXPECT_TRUE(identities.delete_identity(ref));
  EXPECT_FALSE(identities.delete_identity(ref));
  EXPECT_THROW((void)identities.delete_identity(ref), http::ServiceError);
  EXPECT_THROW((void)identities.delete_identity(ref), http::ServiceError);
  EXPECT_EQ(request(0).method, http::Method::Delete);
  EXPECT_EQ(request(0).url, std::string(k_endpoint) + k_path + "?api-version=2023-01-31");
}

} // namespace managed_identity_client_test
} // namespace wisetup::azure
