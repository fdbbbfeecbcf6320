#include "sim_fixture.hpp"

#include <thread>

namespace wisetup::sim::testing {
namespace arm_identities_test {

std::string const k_version = "?api-version=2023-01-31";

class ArmIdentitiesTest : public SimFixture {
protected:
  void SetUp() override {
    SimFixture::SetUp();
    Answer const created =
        arm("PUT", identity_path("app-id") + k_version, {{"location", "eastus"}});
    ASSERT_EQ(created.status, 201) << created.text;
  }

  static std::string credential_path(std::string const& name) {
    return identity_path("app-id") + "/federatedIdentityCredentials/" + name;
  }

  static nlohmann::json credential(std::string const& subject,
                                   std::string const& issuer = "https://127.0.0.1/oidc/x/y/") {
    return {{"properties",
             {{"issuer", issuer},
              {"subject", subject},
              {"audiences", {"api://AzureADTokenExchange"}}}}};
  }
};

TEST_F(ArmIdentitiesTest, PutCreatesThenUpdatesWithStableIds) {
  Answer const first = arm("GET", identity_path("app-id") + k_version);
  ASSERT_EQ(first.status, 200);
  auto const& properties = first.json["properties"];
  EXPECT_EQ(properties["tenantId"], k_tenant);
  EXPECT_EQ(properties["clientId"].get<std::string>().size(), 36u);
  EXPECT_EQ(properties["principalId"].get<std::string>().size(), 36u);
  EXPECT_EQ(first.json["type"], "Microsoft.ManagedIdentity/userAssignedIdentities");

  Answer const update = arm("PUT",
                            identity_path("app-id") + k_version,
                            {{"location", "eastus"}, {"tags", {{"team", "a"}}}});
  EXPECT_EQ(update.status, 200);
  EXPECT_EQ(update.json["properties"], properties);
  EXPECT_EQ(update.json["tags"]["team"], "a");
}

TEST_F(ArmIdentitiesTest, PutNeedsLocationAndAValidName) {
  Answer const no_location =
      arm("PUT", identity_path("other") + k_version, nlohmann::json::object());
  EXPECT_EQ(no_location.status, 400);
  EXPECT_EQ(no_location.json["error"]["code"], "LocationRequired");
  EXPECT_EQ(arm("PUT", identity_path("ab") + k_version, {{"location", "eastus"}}).status, 400);
  EXPECT_EQ(arm("PUT", identity_path("-bad") + k_version, {{"location", "eastus"}}).status, 400);
  EXPECT_EQ(
      arm("PUT", identity_path("ok_name-1", "identities-rg") + k_version, {{"location", "eastus"}})
          .status,
      201);
  Answer const moved = arm("PUT", identity_path("app-id") + k_version, {{"location", "westus"}});
  EXPECT_EQ(moved.status, 409);
  EXPECT_EQ(moved.json["error"]["code"], "InvalidResourceLocation");
}

TEST_F(ArmIdentitiesTest, FederatedCredentialRoundTrip) {
  Answer const put =
      arm("PUT", credential_path("fic-1") + k_version, credential("system:serviceaccount:app:sa"));
  ASSERT_EQ(put.status, 201) << put.text;
  EXPECT_EQ(put.json["type"],
            "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials");
  EXPECT_EQ(put.json["properties"]["audiences"][0], "api://AzureADTokenExchange");
  EXPECT_EQ(
      arm("PUT", credential_path("fic-1") + k_version, credential("system:serviceaccount:app:sa"))
          .status,
      200);
  EXPECT_EQ(arm("GET", credential_path("fic-1") + k_version).status, 200);
  EXPECT_EQ(arm("DELETE", credential_path("fic-1") + k_version).status, 200);
  EXPECT_EQ(arm("DELETE", credential_path("fic-1") + k_version).status, 204);
  EXPECT_EQ(arm("GET", credential_path("fic-1") + k_version).status, 404);
}

TEST_F(ArmIdentitiesTest, FederatedCredentialValidation) {
  nlohmann::json two_audiences = credential("s");
  two_audiences["properties"]["audiences"] = {"a", "b"};
  EXPECT_EQ(arm("PUT", credential_path("fic-1") + k_version, two_audiences).status, 400);
  nlohmann::json no_subject = credential("s");
  no_subject["properties"].erase("subject");
  EXPECT_EQ(arm("PUT", credential_path("fic-1") + k_version, no_subject).status, 400);
  EXPECT_EQ(
      arm("PUT", credential_path("fic-1") + k_version, credential(std::string(601, 's'))).status,
      400);
  EXPECT_EQ(arm("PUT", credential_path("-x1") + k_version, credential("s")).status, 400);
  EXPECT_EQ(arm("PUT", credential_path("ab") + k_version, credential("s")).status, 400);
  Answer const orphan =
      arm("PUT",
          identity_path("missing") + "/federatedIdentityCredentials/fic-1" + k_version,
          credential("s"));
  EXPECT_EQ(orphan.status, 404);
  EXPECT_EQ(orphan.json["error"]["code"], "ResourceNotFound");
}

TEST_F(ArmIdentitiesTest, IssuerAndSubjectMustBeUniquePerIdentity) {
  ASSERT_EQ(
      arm("PUT", credential_path("fic-1") + k_version, credential("system:serviceaccount:a:b"))
          .status,
      201);
  Answer const duplicate =
      arm("PUT", credential_path("fic-2") + k_version, credential("system:serviceaccount:a:b"));
  EXPECT_EQ(duplicate.status, 400);
  EXPECT_EQ(duplicate.json["error"]["message"],
            "Issuer and subject combination already exists for this Managed Identity.");
}

TEST_F(ArmIdentitiesTest, AtMostTwentyCredentialsAndListIsPaged) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(arm("PUT",
                  credential_path("fic-" + std::to_string(100 + i)) + k_version,
                  credential("subject-" + std::to_string(i)))
                  .status,
              201);
  }
  Answer const too_many =
      arm("PUT", credential_path("fic-200") + k_version, credential("subject-x"));
  EXPECT_EQ(too_many.status, 400);

  Answer const first =
      arm("GET", identity_path("app-id") + "/federatedIdentityCredentials" + k_version);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.json["value"].size(), 10u);
  std::string const next = first.json["nextLink"];
  ASSERT_EQ(next.rfind(m_simulator->base_url(), 0), 0u);
  Answer const second = arm("GET", next.substr(m_simulator->base_url().size()));
  EXPECT_EQ(second.json["value"].size(), 10u);
  EXPECT_FALSE(second.json.contains("nextLink"));
  EXPECT_NE(first.json["value"][0]["name"], second.json["value"][0]["name"]);

  Answer const top =
      arm("GET", identity_path("app-id") + "/federatedIdentityCredentials" + k_version + "&$top=7");
  EXPECT_EQ(top.json["value"].size(), 7u);
  EXPECT_NE(top.json["nextLink"].get<std::string>().find("$top=7"), std::string::npos);
}

TEST_F(ArmIdentitiesTest, DeletingTheIdentityDeletesItsCredentials) {
  ASSERT_EQ(arm("PUT", credential_path("fic-1") + k_version, credential("s")).status, 201);
  EXPECT_EQ(arm("DELETE", identity_path("app-id") + k_version).status, 200);
  EXPECT_EQ(arm("DELETE", identity_path("app-id") + k_version).status, 204);
  auto const after = state(); // kept: items() of a temporary's member would dangle
  for (auto const& [id, resource] : after["resources"].items()) {
    EXPECT_EQ(id.find("app-id"), std::string::npos) << id;
  }
}

class ConcurrentCredentialsTest : public ArmIdentitiesTest {
  void configure(Options& options) override {
    options.fic_write_hold = std::chrono::milliseconds{1000};
  }
};

TEST_F(ConcurrentCredentialsTest, ConcurrentWritesToOneIdentityConflict) {
  std::string const bearer = token();
  auto write = [&](std::string const& name) {
    httplib::SSLClient client{"127.0.0.1", m_simulator->port()};
    client.set_ca_cert_path(m_simulator->ca_bundle_path().string());
    client.enable_server_certificate_verification(true);
    auto const result = client.Put(credential_path(name) + k_version,
                                   {{"Authorization", "Bearer " + bearer}},
                                   credential("subject-" + name).dump(),
                                   "application/json");
    return result ? result->status : -1;
  };
  int first = 0;
  std::thread writer{[&] {
    first = write("fic-a");
  }};
  // The first write holds the identity for a second; send the second once it is in flight.
  for (int i = 0; i < 250 && state()["federatedCredentialWritesInFlight"].empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }
  EXPECT_FALSE(state()["federatedCredentialWritesInFlight"].empty());
  Answer const second = arm("PUT", credential_path("fic-b") + k_version, credential("subject-b"));
  writer.join();
  EXPECT_EQ(first, 201);
  EXPECT_EQ(second.status, 409);
  EXPECT_EQ(second.json["error"]["code"],
            "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity");
  EXPECT_EQ(arm("PUT", credential_path("fic-b") + k_version, credential("subject-b")).status, 201);
}

} // namespace arm_identities_test
} // namespace wisetup::sim::testing
