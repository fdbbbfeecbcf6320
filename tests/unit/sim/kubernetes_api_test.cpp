#include "sim/certificates.hpp"
#include "sim_fixture.hpp"

namespace wisetup::sim::testing {
namespace {

class KubernetesApiTest : public SimFixture {
protected:
  void SetUp() override {
    SimFixture::SetUp();
    std::string const yaml = user_kubeconfig();
    m_token_value = kubeconfig_field(yaml, "token", false);
    m_kube = std::make_unique<httplib::SSLClient>("127.0.0.1", m_simulator->kube_port());
    m_kube->set_ca_cert_path(m_simulator->ca_bundle_path().string());
    m_kube->enable_server_certificate_verification(true);
    m_kube->set_bearer_token_auth(m_token_value);
  }
  void TearDown() override {
    m_kube.reset();
    SimFixture::TearDown();
  }

  Answer kube(std::string const& method,
              std::string const& path,
              nlohmann::json const& body = nullptr,
              std::string const& content_type = "application/json") {
    httplib::Result result{nullptr, httplib::Error::Unknown};
    std::string const text = body.is_null() ? std::string{} : body.dump();
    if (method == "GET") {
      result = m_kube->Get(path);
    } else if (method == "POST") {
      result = m_kube->Post(path, text, content_type);
    } else if (method == "PUT") {
      result = m_kube->Put(path, text, content_type);
    } else if (method == "PATCH") {
      result = m_kube->Patch(path, text, content_type);
    } else if (method == "DELETE") {
      result = m_kube->Delete(path);
    }
    if (!result) {
      ADD_FAILURE() << httplib::to_string(result.error());
      return {};
    }
    return {result->status,
            result->body,
            nlohmann::json::parse(result->body, nullptr, false),
            result->headers};
  }

  static nlohmann::json account(std::string const& name) {
    return {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", name}}}};
  }

  std::string m_token_value;
  std::unique_ptr<httplib::SSLClient> m_kube;
};

TEST_F(KubernetesApiTest, NoCredentialIsUnauthorizedStatus) {
  httplib::SSLClient anonymous{"127.0.0.1", m_simulator->kube_port()};
  anonymous.set_ca_cert_path(m_simulator->ca_bundle_path().string());
  anonymous.enable_server_certificate_verification(true);
  auto const result = anonymous.Get("/api/v1/namespaces");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(nlohmann::json::parse(result->body),
            nlohmann::json::parse(R"({"kind":"Status","apiVersion":"v1","metadata":{},
              "status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})"));
  anonymous.set_bearer_token_auth("wrong");
  EXPECT_EQ(anonymous.Get("/api/v1/namespaces")->status, 401);
}

TEST_F(KubernetesApiTest, CertificateOfAnotherAuthorityIsUnauthorized) {
  CertificateAuthority const stranger{"stranger"};
  IssuedCertificate const certificate =
      stranger.issue_client_certificate("masterclient", "system:masters");
  httplib::SSLClient client{"127.0.0.1",
                            m_simulator->kube_port(),
                            write_temp("stranger.crt", certificate.certificate_pem()),
                            write_temp("stranger.key", certificate.private_key_pem())};
  client.set_ca_cert_path(m_simulator->ca_bundle_path().string());
  client.enable_server_certificate_verification(true);
  auto const result = client.Get("/api/v1/namespaces");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 401);
}

TEST_F(KubernetesApiTest, DiscoveryAndVersion) {
  Answer const version = kube("GET", "/version");
  EXPECT_EQ(version.json["gitVersion"], "v1.29.9");
  EXPECT_EQ(version.json["minor"], "29");
  EXPECT_EQ(kube("GET", "/api").json["kind"], "APIVersions");
  EXPECT_EQ(kube("GET", "/api/v1").json["kind"], "APIResourceList");
}

TEST_F(KubernetesApiTest, CreatesNamespaceAndServiceAccount) {
  Answer const ns = kube("POST", "/api/v1/namespaces", {{"metadata", {{"name", "app"}}}});
  ASSERT_EQ(ns.status, 201) << ns.text;
  EXPECT_EQ(ns.json["status"]["phase"], "Active");
  EXPECT_EQ(kube("POST", "/api/v1/namespaces", {{"metadata", {{"name", "app"}}}}).json["reason"],
            "AlreadyExists");

  nlohmann::json body = account("app-sa");
  body["metadata"]["annotations"] = {{"azure.workload.identity/client-id", "1234"}};
  Answer const created = kube("POST", "/api/v1/namespaces/app/serviceaccounts", body);
  ASSERT_EQ(created.status, 201) << created.text;
  auto const& metadata = created.json["metadata"];
  EXPECT_EQ(metadata["namespace"], "app");
  EXPECT_EQ(metadata["uid"].get<std::string>().size(), 36u);
  EXPECT_TRUE(metadata["resourceVersion"].is_string());
  EXPECT_TRUE(metadata.contains("creationTimestamp"));

  Answer const duplicate = kube("POST", "/api/v1/namespaces/app/serviceaccounts", body);
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.json["reason"], "AlreadyExists");
  EXPECT_EQ(duplicate.json["message"], "serviceaccounts \"app-sa\" already exists");

  Answer const fetched = kube("GET", "/api/v1/namespaces/app/serviceaccounts/app-sa");
  EXPECT_EQ(fetched.json["metadata"]["annotations"]["azure.workload.identity/client-id"], "1234");
  nlohmann::json const stored =
      state()["kubernetes"][std::string(k_cluster_id)]["serviceAccounts"]["app/app-sa"];
  EXPECT_EQ(stored["metadata"]["uid"], metadata["uid"]);
}

TEST_F(KubernetesApiTest, ErrorsAreStatusObjects) {
  Answer const missing_namespace =
      kube("POST", "/api/v1/namespaces/nope/serviceaccounts", account("sa"));
  EXPECT_EQ(missing_namespace.status, 404);
  EXPECT_EQ(missing_namespace.json["message"], "namespaces \"nope\" not found");

  Answer const missing = kube("GET", "/api/v1/namespaces/default/serviceaccounts/ghost");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json["reason"], "NotFound");
  EXPECT_EQ(missing.json["message"], "serviceaccounts \"ghost\" not found");
  EXPECT_EQ(missing.json["details"]["kind"], "serviceaccounts");

  Answer const invalid =
      kube("POST", "/api/v1/namespaces/default/serviceaccounts", account("Bad_Name"));
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.json["reason"], "Invalid");
  EXPECT_EQ(invalid.json["details"]["causes"][0]["field"], "metadata.name");

  Answer const media =
      kube("PATCH", "/api/v1/namespaces/default/serviceaccounts/default", {{"a", 1}}, "text/plain");
  EXPECT_EQ(media.status, 415);
  EXPECT_EQ(media.json["reason"], "UnsupportedMediaType");
}

TEST_F(KubernetesApiTest, MergePatchAddsAndNullDeletes) {
  nlohmann::json body = account("app-sa");
  body["metadata"]["annotations"] = {{"keep", "1"}, {"drop", "2"}};
  ASSERT_EQ(kube("POST", "/api/v1/namespaces/default/serviceaccounts", body).status, 201);
  Answer const patched = kube("PATCH",
                              "/api/v1/namespaces/default/serviceaccounts/app-sa",
                              {{"metadata", {{"annotations", {{"drop", nullptr}, {"new", "3"}}}}}},
                              "application/merge-patch+json");
  ASSERT_EQ(patched.status, 200) << patched.text;
  EXPECT_EQ(patched.json["metadata"]["annotations"], nlohmann::json({{"keep", "1"}, {"new", "3"}}));
  EXPECT_EQ(kube("PATCH",
                 "/api/v1/namespaces/default/serviceaccounts/ghost",
                 {{"metadata", {{"labels", {{"a", "b"}}}}}},
                 "application/merge-patch+json")
                .status,
            404);
}

TEST_F(KubernetesApiTest, ApplyPatchNeedsFieldManagerAndCreates) {
  nlohmann::json body = account("applied");
  body["metadata"]["labels"] = {{"azure.workload.identity/use", "true"}};
  std::string const path = "/api/v1/namespaces/default/serviceaccounts/applied";
  EXPECT_EQ(kube("PATCH", path, body, "application/apply-patch+yaml").status, 422);
  Answer const created = kube(
      "PATCH", path + "?fieldManager=wi-setup&force=true", body, "application/apply-patch+yaml");
  EXPECT_EQ(created.status, 201) << created.text;
  body["metadata"]["annotations"] = {{"x", "y"}};
  Answer const updated = kube(
      "PATCH", path + "?fieldManager=wi-setup&force=true", body, "application/apply-patch+yaml");
  EXPECT_EQ(updated.status, 200);
  EXPECT_EQ(updated.json["metadata"]["annotations"]["x"], "y");
  EXPECT_EQ(updated.json["metadata"]["uid"], created.json["metadata"]["uid"]);
}

TEST_F(KubernetesApiTest, PutWithStaleResourceVersionConflicts) {
  Answer const created =
      kube("POST", "/api/v1/namespaces/default/serviceaccounts", account("app-sa"));
  nlohmann::json object = created.json;
  object["metadata"]["labels"] = {{"a", "b"}};
  Answer const replaced = kube("PUT", "/api/v1/namespaces/default/serviceaccounts/app-sa", object);
  ASSERT_EQ(replaced.status, 200) << replaced.text;
  EXPECT_NE(replaced.json["metadata"]["resourceVersion"],
            created.json["metadata"]["resourceVersion"]);
  Answer const stale = kube("PUT", "/api/v1/namespaces/default/serviceaccounts/app-sa", object);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json["reason"], "Conflict");
}

TEST_F(KubernetesApiTest, DeleteThenNotFound) {
  ASSERT_EQ(kube("POST", "/api/v1/namespaces/default/serviceaccounts", account("app-sa")).status,
            201);
  Answer const deleted = kube("DELETE", "/api/v1/namespaces/default/serviceaccounts/app-sa");
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(kube("DELETE", "/api/v1/namespaces/default/serviceaccounts/app-sa").status, 404);
}

TEST_F(KubernetesApiTest, ListsSupportLabelSelectorsAndTables) {
  nlohmann::json labelled = account("labelled");
  labelled["metadata"]["labels"] = {{"tier", "web"}};
  ASSERT_EQ(kube("POST", "/api/v1/namespaces/default/serviceaccounts", labelled).status, 201);
  Answer const selected = kube("GET", "/api/v1/serviceaccounts?labelSelector=tier%3Dweb");
  ASSERT_EQ(selected.json["items"].size(), 1u);
  EXPECT_EQ(selected.json["items"][0]["metadata"]["name"], "labelled");

  m_kube->set_default_headers(
      {{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}});
  Answer const table = kube("GET", "/api/v1/namespaces");
  EXPECT_EQ(table.json["kind"], "Table");
  EXPECT_EQ(table.json["columnDefinitions"][0]["name"], "Name");
  EXPECT_EQ(table.json["rows"].size(), 4u);
}

} // namespace
} // namespace wisetup::sim::testing
