// The Kubernetes API additions the plan, verify and disable subcommands use: TokenRequest, pods,
// SelfSubjectAccessReview, DELETE with preconditions and the OpenAPI documents.
#include "sim/default_seed.hpp"
#include "sim/random_values.hpp"
#include "sim_fixture.hpp"

#include <chrono>
#include <fstream>
#include <set>

namespace wisetup::sim::testing {
namespace {

std::string cluster_resource(std::string const& name) {
  return resource_path("myResourceGroup", "Microsoft.ContainerService/managedClusters/" + name);
}

class KubeWorkloadTest : public SimFixture {
protected:
  void configure(Options& options) override {
    // The default seed plus two pods on myAKSCluster.
    nlohmann::json seed = nlohmann::json::parse(default_seed());
    auto& kube = seed["kubernetes"][k_cluster_id];
    kube["namespaces"].push_back("app");
    kube["serviceAccounts"].push_back({{"metadata", {{"name", "app-sa"}, {"namespace", "app"}}}});
    kube["pods"] = nlohmann::json::parse(R"([
      {"metadata": {"name": "web-1", "namespace": "app", "labels": {"app": "web",
         "azure.workload.identity/use": "true"}, "creationTimestamp": "2026-01-02T03:04:05Z"},
       "spec": {"serviceAccountName": "app-sa", "containers": [{"name": "web", "image": "nginx",
         "env": [{"name": "AZURE_CLIENT_ID", "value": "ffffffff-0000-4000-8000-000000000001"}]}]}},
      {"metadata": {"name": "batch-1", "namespace": "app", "labels": {"app": "batch"}},
       "spec": {"containers": [{"name": "job", "image": "busybox"}]}}
    ])");
    std::filesystem::create_directories(options.state_dir);
    auto const path = options.state_dir / "seed-with-pods.json";
    std::ofstream{path} << seed.dump();
    options.seed = path;
  }

  void TearDown() override {
    m_kube.clear();
    SimFixture::TearDown();
  }

  // A client of cluster `cluster` authenticated with its static token (listClusterUserCredential).
  httplib::SSLClient& client(std::string const& cluster) {
    auto& slot = m_kube[cluster];
    if (!slot) {
      Answer const credential = arm(
          "POST", cluster_resource(cluster) + "/listClusterUserCredential?api-version=2024-09-01");
      EXPECT_EQ(credential.status, 200) << credential.text;
      std::string const yaml =
          base64_decode(credential.json["kubeconfigs"][0]["value"].get<std::string>());
      slot = std::make_unique<httplib::SSLClient>("127.0.0.1", m_simulator->kube_port());
      slot->set_ca_cert_path(m_simulator->ca_bundle_path().string());
      slot->enable_server_certificate_verification(true);
      slot->set_bearer_token_auth(kubeconfig_field(yaml, "token", false));
    }
    return *slot;
  }

  Answer kube(std::string const& method,
              std::string const& path,
              nlohmann::json const& body = nullptr,
              std::string const& cluster = "myAKSCluster",
              std::string const& content_type = "application/json",
              httplib::Headers const& headers = {}) {
    httplib::SSLClient& kube_client = client(cluster);
    std::string const text = body.is_null() ? std::string{} : body.dump();
    httplib::Result result{nullptr, httplib::Error::Unknown};
    if (method == "GET") {
      result = kube_client.Get(path, headers);
    } else if (method == "POST") {
      result = kube_client.Post(path, headers, text, content_type);
    } else if (method == "PATCH") {
      result = kube_client.Patch(path, headers, text, content_type);
    } else if (method == "DELETE") {
      result = body.is_null() ? kube_client.Delete(path, headers)
                              : kube_client.Delete(path, headers, text, content_type);
    }
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": " << httplib::to_string(result.error());
      return {};
    }
    Answer answer{result->status, result->body, nullptr, result->headers};
    answer.json = nlohmann::json::parse(result->body, nullptr, false);
    return answer;
  }

  static nlohmann::json token_request(nlohmann::json spec) {
    return {{"apiVersion", "authentication.k8s.io/v1"},
            {"kind", "TokenRequest"},
            {"spec", std::move(spec)}};
  }

  std::string issuer_of(std::string const& cluster) {
    return arm("GET", cluster_resource(cluster) + "?api-version=2024-09-01")
        .json["properties"]["oidcIssuerProfile"]
        .value("issuerURL", "");
  }

  std::map<std::string, std::unique_ptr<httplib::SSLClient>> m_kube;
};

TEST_F(KubeWorkloadTest, TokenRequestIsSignedByTheClusterIssuer) {
  ASSERT_EQ(kube("POST",
                 "/api/v1/namespaces/default/serviceaccounts",
                 {{"metadata", {{"name", "app-sa"}}}},
                 "myOidcCluster")
                .status,
            201);
  std::string const uid =
      kube("GET", "/api/v1/namespaces/default/serviceaccounts/app-sa", nullptr, "myOidcCluster")
          .json["metadata"]["uid"];
  Answer const answer = kube(
      "POST",
      "/api/v1/namespaces/default/serviceaccounts/app-sa/token",
      token_request({{"audiences", {k_exchange_audience, "second"}}, {"expirationSeconds", 3600}}),
      "myOidcCluster");
  ASSERT_EQ(answer.status, 201) << answer.text;
  EXPECT_EQ(answer.json["kind"], "TokenRequest");
  EXPECT_EQ(answer.json["apiVersion"], "authentication.k8s.io/v1");
  EXPECT_EQ(answer.json["spec"]["expirationSeconds"], 3600);
  std::string const token = answer.json["status"]["token"];
  std::string const expiry = answer.json["status"]["expirationTimestamp"];
  EXPECT_EQ(expiry.size(), 20u) << expiry; // 2026-01-02T03:04:05Z
  auto const claims = jwt_claims(token);
  std::string const issuer = issuer_of("myOidcCluster");
  ASSERT_FALSE(issuer.empty());
  EXPECT_EQ(claims["iss"], issuer);
  EXPECT_EQ(claims["sub"], "system:serviceaccount:default:app-sa");
  EXPECT_EQ(claims["aud"], nlohmann::json::array({k_exchange_audience, "second"}));
  EXPECT_EQ(claims["exp"].get<long long>() - claims["iat"].get<long long>(), 3600);
  EXPECT_EQ(claims["nbf"], claims["iat"]);
  EXPECT_EQ(claims["kubernetes.io"]["namespace"], "default");
  EXPECT_EQ(claims["kubernetes.io"]["serviceaccount"]["name"], "app-sa");
  EXPECT_EQ(claims["kubernetes.io"]["serviceaccount"]["uid"], uid);
  // Signed RS256 with the key the issuer's JWKS publishes.
  auto const header = jwt_header(token);
  EXPECT_EQ(header["alg"], "RS256");
  std::string const jwks_path = issuer.substr(m_simulator->base_url().size()) + "openid/v1/jwks";
  Answer const jwks = send("GET", jwks_path);
  ASSERT_EQ(jwks.status, 200);
  EXPECT_EQ(header["kid"], jwks.json["keys"][0]["kid"]);
}

TEST_F(KubeWorkloadTest, TokenRequestRefusesShortLifetimesAndMissingAccounts) {
  Answer const short_lived =
      kube("POST",
           "/api/v1/namespaces/app/serviceaccounts/app-sa/token",
           token_request({{"audiences", {"a"}}, {"expirationSeconds", 599}}));
  EXPECT_EQ(short_lived.status, 422);
  EXPECT_EQ(short_lived.json["kind"], "Status");
  EXPECT_EQ(short_lived.json["reason"], "Invalid");
  EXPECT_EQ(short_lived.json["code"], 422);
  EXPECT_EQ(short_lived.json["message"],
            "TokenRequest.authentication.k8s.io \"app-sa\" is invalid: spec.expirationSeconds: "
            "Invalid value: 599: may not specify a duration less than 10 minutes");
  EXPECT_EQ(short_lived.json["details"]["causes"][0]["field"], "spec.expirationSeconds");
  EXPECT_EQ(kube("POST",
                 "/api/v1/namespaces/app/serviceaccounts/app-sa/token",
                 token_request({{"expirationSeconds", 600}}))
                .status,
            201);

  Answer const missing = kube("POST",
                              "/api/v1/namespaces/app/serviceaccounts/nobody/token",
                              token_request({{"audiences", {"a"}}}));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json["reason"], "NotFound");
  EXPECT_EQ(missing.json["message"], "serviceaccounts \"nobody\" not found");

  Answer const wrong_kind = kube("POST",
                                 "/api/v1/namespaces/app/serviceaccounts/app-sa/token",
                                 {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}});
  EXPECT_EQ(wrong_kind.status, 400);
}

TEST_F(KubeWorkloadTest, TokenRequestWithoutOidcIssuerUsesTheInClusterIssuer) {
  Answer const answer = kube("POST",
                             "/api/v1/namespaces/app/serviceaccounts/app-sa/token",
                             token_request({{"expirationSeconds", 200000}}));
  ASSERT_EQ(answer.status, 201) << answer.text;
  auto const claims = jwt_claims(answer.json["status"]["token"]);
  EXPECT_EQ(claims["iss"], "https://kubernetes.default.svc.cluster.local");
  // No audiences: the API server's own; a long lifetime is shortened to a day.
  EXPECT_EQ(claims["aud"], nlohmann::json::array({"https://kubernetes.default.svc.cluster.local"}));
  EXPECT_EQ(answer.json["spec"]["expirationSeconds"], 86400);
  EXPECT_EQ(claims["exp"].get<long long>() - claims["iat"].get<long long>(), 86400);
}

TEST_F(KubeWorkloadTest, ListsSeededPodsByServiceAccount) {
  for (std::string const query : {"fieldSelector=spec.serviceAccountName=app-sa",
                                  "fieldSelector=spec.serviceAccountName%3Dapp-sa",
                                  "fieldSelector=spec.serviceAccountName%3D%3Dapp-sa"}) {
    Answer const answer = kube("GET", "/api/v1/namespaces/app/pods?" + query);
    ASSERT_EQ(answer.status, 200) << answer.text;
    EXPECT_EQ(answer.json["kind"], "PodList");
    ASSERT_EQ(answer.json["items"].size(), 1u) << query << " " << answer.text;
    auto const& pod = answer.json["items"][0];
    EXPECT_EQ(pod["metadata"]["name"], "web-1");
    EXPECT_EQ(pod["metadata"]["creationTimestamp"], "2026-01-02T03:04:05Z");
    EXPECT_EQ(pod["metadata"]["labels"]["azure.workload.identity/use"], "true");
    EXPECT_EQ(pod["spec"]["containers"][0]["env"][0]["name"], "AZURE_CLIENT_ID");
    EXPECT_EQ(pod["status"]["phase"], "Running");
  }
  Answer const defaults =
      kube("GET", "/api/v1/namespaces/app/pods?fieldSelector=spec.serviceAccountName%3Ddefault");
  ASSERT_EQ(defaults.json["items"].size(), 1u);
  EXPECT_EQ(defaults.json["items"][0]["metadata"]["name"], "batch-1");
  EXPECT_EQ(
      kube("GET", "/api/v1/namespaces/app/pods?fieldSelector=spec.serviceAccountName!%3Dapp-sa")
          .json["items"]
          .size(),
      1u);
  EXPECT_EQ(
      kube("GET", "/api/v1/namespaces/app/pods?labelSelector=app%3Dbatch").json["items"].size(),
      1u);
  EXPECT_EQ(kube("GET", "/api/v1/namespaces/app/pods").json["items"].size(), 2u);
  EXPECT_EQ(kube("GET", "/api/v1/namespaces/default/pods").json["items"].size(), 0u);
  EXPECT_EQ(kube("GET", "/api/v1/pods").json["items"].size(), 2u);
  Answer const unsupported =
      kube("GET", "/api/v1/namespaces/app/pods?fieldSelector=spec.image%3Dx");
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(unsupported.json["message"], "field label not supported: spec.image");
  EXPECT_EQ(kube("GET", "/api/v1/namespaces/app/pods/web-1").json["spec"]["serviceAccountName"],
            "app-sa");
  EXPECT_EQ(kube("GET", "/api/v1/namespaces/app/pods/nope").json["message"],
            "pods \"nope\" not found");
}

TEST_F(KubeWorkloadTest, CreatesPodsWithCreationTimeNow) {
  nlohmann::json pod = {{"apiVersion", "v1"},
                        {"kind", "Pod"},
                        {"metadata", {{"name", "new-1"}, {"labels", {{"app", "new"}}}}},
                        {"spec",
                         {{"serviceAccountName", "app-sa"},
                          {"containers", {{{"name", "c"}, {"image", "busybox"}}}}}}};
  Answer const created = kube("POST", "/api/v1/namespaces/app/pods", pod);
  ASSERT_EQ(created.status, 201) << created.text;
  std::string const timestamp = created.json["metadata"]["creationTimestamp"];
  std::tm parts{};
  ASSERT_NE(strptime(timestamp.c_str(), "%Y-%m-%dT%H:%M:%SZ", &parts), nullptr);
  auto const age =
      std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(timegm(&parts));
  EXPECT_LT(std::chrono::abs(age), std::chrono::seconds{5});
  EXPECT_EQ(created.json["metadata"]["uid"].get<std::string>().size(), 36u);
  // myAKSCluster has no workload identity: the webhook does not touch the pod.
  EXPECT_FALSE(created.json["spec"]["containers"][0].contains("env"));
  EXPECT_EQ(
      kube("GET", "/api/v1/namespaces/app/pods?fieldSelector=spec.serviceAccountName%3Dapp-sa")
          .json["items"]
          .size(),
      2u);
  EXPECT_EQ(kube("POST", "/api/v1/namespaces/app/pods", pod).json["reason"], "AlreadyExists");

  pod["metadata"]["name"] = "orphan";
  pod["spec"]["serviceAccountName"] = "nobody";
  Answer const no_account = kube("POST", "/api/v1/namespaces/app/pods", pod);
  EXPECT_EQ(no_account.status, 403);
  EXPECT_EQ(no_account.json["reason"], "Forbidden");
  pod["spec"].erase("containers");
  pod["spec"]["serviceAccountName"] = "app-sa";
  EXPECT_EQ(kube("POST", "/api/v1/namespaces/app/pods", pod).status, 422);
}

TEST_F(KubeWorkloadTest, WebhookInjectsTheIdentityIntoLabelledPodsOnWorkloadIdentityClusters) {
  nlohmann::json account = {
      {"metadata",
       {{"name", "wi-sa"},
        {"annotations",
         {{"azure.workload.identity/client-id", "12345678-0000-4000-8000-000000000001"}}}}}};
  ASSERT_EQ(
      kube("POST", "/api/v1/namespaces/default/serviceaccounts", account, "myOidcCluster").status,
      201);
  nlohmann::json pod = {
      {"metadata", {{"name", "p"}, {"labels", {{"azure.workload.identity/use", "true"}}}}},
      {"spec",
       {{"serviceAccountName", "wi-sa"}, {"containers", {{{"name", "c"}, {"image", "busybox"}}}}}}};
  Answer const created = kube("POST", "/api/v1/namespaces/default/pods", pod, "myOidcCluster");
  ASSERT_EQ(created.status, 201) << created.text;
  std::map<std::string, std::string> env;
  for (auto const& entry : created.json["spec"]["containers"][0]["env"]) {
    env[entry["name"]] = entry["value"];
  }
  EXPECT_EQ(env["AZURE_CLIENT_ID"], "12345678-0000-4000-8000-000000000001");
  EXPECT_EQ(env["AZURE_TENANT_ID"], k_tenant);
  EXPECT_EQ(env["AZURE_FEDERATED_TOKEN_FILE"],
            "/var/run/secrets/azure/tokens/azure-identity-token");
  EXPECT_EQ(env["AZURE_AUTHORITY_HOST"], m_simulator->base_url() + "/");
  EXPECT_EQ(created.json["spec"]["volumes"][0]["name"], "azure-identity-token");

  pod["metadata"] = {{"name", "unlabelled"}};
  EXPECT_FALSE(kube("POST", "/api/v1/namespaces/default/pods", pod, "myOidcCluster")
                   .json["spec"]["containers"][0]
                   .contains("env"));
}

TEST_F(KubeWorkloadTest, SelfSubjectAccessReviewAllowsTheAdminCredential) {
  nlohmann::json const review = {
      {"apiVersion", "authorization.k8s.io/v1"},
      {"kind", "SelfSubjectAccessReview"},
      {"spec",
       {{"resourceAttributes",
         {{"namespace", "app"}, {"verb", "create"}, {"resource", "serviceaccounts"}}}}}};
  Answer const answer =
      kube("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review);
  ASSERT_EQ(answer.status, 201) << answer.text;
  EXPECT_EQ(answer.json["kind"], "SelfSubjectAccessReview");
  EXPECT_EQ(answer.json["status"]["allowed"], true);
  EXPECT_EQ(answer.json["spec"], review["spec"]);
  Answer const invalid = kube("POST",
                              "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                              {{"apiVersion", "authorization.k8s.io/v1"},
                               {"kind", "SelfSubjectAccessReview"},
                               {"spec", nlohmann::json::object()}});
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.json["reason"], "Invalid");

  Answer const whoami =
      kube("POST",
           "/apis/authentication.k8s.io/v1/selfsubjectreviews",
           {{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "SelfSubjectReview"}});
  EXPECT_EQ(whoami.status, 201);
  EXPECT_EQ(whoami.json["status"]["userInfo"]["groups"][0], "system:masters");
}

TEST_F(KubeWorkloadTest, ReviewsAndTokenRequestsAreNotWritesButDeletesAre) {
  send("POST", "/_sim/requests/clear", "{}", "application/json");
  kube("POST",
       "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
       {{"spec", {{"resourceAttributes", {{"verb", "list"}, {"resource", "pods"}}}}}});
  kube("POST", "/api/v1/namespaces/app/serviceaccounts/app-sa/token", token_request({}));
  kube("GET", "/api/v1/namespaces/app/pods");
  kube("DELETE", "/api/v1/namespaces/app/serviceaccounts/app-sa");
  auto const log = send("GET", "/_sim/requests").json;
  std::map<std::string, bool> writes;
  for (auto const& entry : log) {
    if (entry["service"] == "kubernetes") {
      writes[entry["method"].get<std::string>() + " " + entry["path"].get<std::string>()] =
          entry["write"];
    }
  }
  EXPECT_EQ(writes.at("POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews"), false);
  EXPECT_EQ(writes.at("POST /api/v1/namespaces/app/serviceaccounts/app-sa/token"), false);
  EXPECT_EQ(writes.at("GET /api/v1/namespaces/app/pods"), false);
  EXPECT_EQ(writes.at("DELETE /api/v1/namespaces/app/serviceaccounts/app-sa"), true);
}

TEST_F(KubeWorkloadTest, DeleteHonoursPreconditions) {
  nlohmann::json const stored = kube("GET", "/api/v1/namespaces/app/serviceaccounts/app-sa").json;
  std::string const uid = stored["metadata"]["uid"];
  std::string const version = stored["metadata"]["resourceVersion"];
  Answer const wrong_uid = kube(
      "DELETE",
      "/api/v1/namespaces/app/serviceaccounts/app-sa",
      {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}, {"preconditions", {{"uid", "other"}}}});
  EXPECT_EQ(wrong_uid.status, 409);
  EXPECT_EQ(wrong_uid.json["reason"], "Conflict");
  EXPECT_EQ(wrong_uid.json["message"],
            "Operation cannot be fulfilled on serviceaccounts \"app-sa\": Precondition failed: UID "
            "in precondition: other, UID in object meta: " +
                uid);
  Answer const wrong_version = kube("DELETE",
                                    "/api/v1/namespaces/app/serviceaccounts/app-sa",
                                    {{"preconditions", {{"uid", uid}, {"resourceVersion", "1"}}}});
  EXPECT_EQ(wrong_version.status, 409);
  EXPECT_EQ(kube("GET", "/api/v1/namespaces/app/serviceaccounts/app-sa").status, 200);

  Answer const deleted = kube("DELETE",
                              "/api/v1/namespaces/app/serviceaccounts/app-sa",
                              {{"propagationPolicy", "Background"},
                               {"preconditions", {{"uid", uid}, {"resourceVersion", version}}}});
  EXPECT_EQ(deleted.status, 200) << deleted.text;
  EXPECT_EQ(deleted.json["metadata"]["uid"], uid);
  Answer const again = kube("DELETE", "/api/v1/namespaces/app/serviceaccounts/app-sa");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.json["reason"], "NotFound");
}

TEST_F(KubeWorkloadTest, MergePatchWithNullRemovesAnnotationsAndLabels) {
  nlohmann::json const set = {
      {"metadata",
       {{"labels", {{"azure.workload.identity/use", "true"}, {"keep", "1"}}},
        {"annotations",
         {{"azure.workload.identity/client-id", "x"},
          {"azure.workload.identity/tenant-id", "y"}}}}}};
  ASSERT_EQ(kube("PATCH",
                 "/api/v1/namespaces/app/serviceaccounts/app-sa",
                 set,
                 "myAKSCluster",
                 "application/merge-patch+json")
                .status,
            200);
  nlohmann::json const remove = {{"metadata",
                                  {{"labels", {{"azure.workload.identity/use", nullptr}}},
                                   {"annotations",
                                    {{"azure.workload.identity/client-id", nullptr},
                                     {"azure.workload.identity/tenant-id", nullptr}}}}}};
  Answer const patched = kube("PATCH",
                              "/api/v1/namespaces/app/serviceaccounts/app-sa",
                              remove,
                              "myAKSCluster",
                              "application/merge-patch+json");
  ASSERT_EQ(patched.status, 200) << patched.text;
  EXPECT_EQ(patched.json["metadata"]["labels"], nlohmann::json({{"keep", "1"}}));
  EXPECT_FALSE(patched.json["metadata"].contains("annotations")) << patched.text;
  EXPECT_FALSE(kube("GET", "/api/v1/namespaces/app/serviceaccounts/app-sa")
                   .json["metadata"]
                   .contains("annotations"));
}

TEST_F(KubeWorkloadTest, ServesOpenApiDocumentsKubectlReads) {
  Answer const index = kube("GET", "/openapi/v3");
  ASSERT_EQ(index.status, 200);
  std::string const url = index.json["paths"]["api/v1"]["serverRelativeURL"];
  EXPECT_EQ(url.rfind("/openapi/v3/api/v1?hash=", 0), 0u) << url;
  ASSERT_TRUE(index.json["paths"].contains("apis/authorization.k8s.io/v1"));
  Answer const core = kube("GET", url);
  ASSERT_EQ(core.status, 200);
  EXPECT_EQ(core.json["openapi"], "3.0.0");
  auto const& patch =
      core.json["paths"]["/api/v1/namespaces/{namespace}/serviceaccounts/{name}"]["patch"];
  EXPECT_EQ(patch["x-kubernetes-group-version-kind"],
            nlohmann::json({{"group", ""}, {"version", "v1"}, {"kind", "ServiceAccount"}}));
  bool field_validation = false;
  for (auto const& parameter : patch["parameters"]) {
    field_validation =
        field_validation || (parameter["name"] == "fieldValidation" && parameter["in"] == "query");
  }
  EXPECT_TRUE(field_validation);
  EXPECT_TRUE(patch["requestBody"]["content"].contains("application/strategic-merge-patch+json"));
  // Every reference resolves.
  std::string const text = core.text;
  for (auto at = text.find("#/components/schemas/"); at != std::string::npos;
       at = text.find("#/components/schemas/", at + 1)) {
    auto const start = at + std::string("#/components/schemas/").size();
    std::string const name = text.substr(start, text.find('"', start) - start);
    EXPECT_TRUE(core.json["components"]["schemas"].contains(name)) << name;
  }
  EXPECT_TRUE(core.json["components"]["schemas"]["io.k8s.api.core.v1.ServiceAccount"].contains(
      "x-kubernetes-group-version-kind"));
  EXPECT_EQ(kube("GET", "/openapi/v3/apis/authorization.k8s.io/v1").status, 200);
  EXPECT_EQ(kube("GET", "/openapi/v3/apis/nothing/v1").status, 404);

  Answer const v2 = kube("GET",
                         "/openapi/v2",
                         nullptr,
                         "myAKSCluster",
                         "application/json",
                         {{"Accept", "application/json"}});
  ASSERT_EQ(v2.status, 200);
  EXPECT_EQ(v2.json["swagger"], "2.0");
  EXPECT_TRUE(v2.json["definitions"].contains("io.k8s.api.core.v1.ServiceAccount"));
  EXPECT_EQ(v2.text.find("#/components/"), std::string::npos);
  EXPECT_EQ(kube("GET",
                 "/openapi/v2",
                 nullptr,
                 "myAKSCluster",
                 "application/json",
                 {{"Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"}})
                .status,
            406);
}

TEST_F(KubeWorkloadTest, DiscoveryListsTheNewResources) {
  Answer const core = kube("GET", "/api/v1");
  std::set<std::string> names;
  for (auto const& resource : core.json["resources"]) {
    names.insert(resource["name"]);
  }
  EXPECT_EQ(
      names,
      (std::set<std::string>{"namespaces", "pods", "serviceaccounts", "serviceaccounts/token"}));
  Answer const groups = kube("GET", "/apis");
  EXPECT_EQ(groups.json["groups"][1]["name"], "authorization.k8s.io");
  Answer const authorization = kube("GET", "/apis/authorization.k8s.io/v1");
  EXPECT_EQ(authorization.json["resources"][0]["name"], "selfsubjectaccessreviews");
}

TEST_F(KubeWorkloadTest, FieldValidationStrictRefusesUnknownFields) {
  nlohmann::json body = {{"apiVersion", "v1"},
                         {"kind", "ServiceAccount"},
                         {"metadata", {{"name", "extra"}, {"colour", "red"}}},
                         {"bogus", 1}};
  Answer const strict =
      kube("POST", "/api/v1/namespaces/app/serviceaccounts?fieldValidation=Strict", body);
  EXPECT_EQ(strict.status, 400);
  EXPECT_EQ(strict.json["reason"], "BadRequest");
  EXPECT_EQ(strict.json["message"],
            "strict decoding error: unknown field \"bogus\", unknown field \"metadata.colour\"");
  Answer const warned =
      kube("POST", "/api/v1/namespaces/app/serviceaccounts?fieldValidation=Warn", body);
  EXPECT_EQ(warned.status, 201);
  EXPECT_EQ(warned.header("Warning"), "299 - \"unknown field \\\"bogus\\\"\"");
  body["metadata"]["name"] = "ignored";
  Answer const ignored =
      kube("POST", "/api/v1/namespaces/app/serviceaccounts?fieldValidation=Ignore", body);
  EXPECT_EQ(ignored.status, 201);
  EXPECT_EQ(ignored.header("Warning"), "");
  Answer const patch = kube("PATCH",
                            "/api/v1/namespaces/app/serviceaccounts/app-sa?fieldValidation=Strict",
                            {{"bogus", true}},
                            "myAKSCluster",
                            "application/strategic-merge-patch+json");
  EXPECT_EQ(patch.status, 400);
}

TEST_F(KubeWorkloadTest, DryRunChangesNothing) {
  Answer const created = kube("POST",
                              "/api/v1/namespaces/app/serviceaccounts?dryRun=All",
                              {{"metadata", {{"name", "dry"}}}});
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.json["metadata"]["name"], "dry");
  EXPECT_EQ(kube("GET", "/api/v1/namespaces/app/serviceaccounts/dry").status, 404);
  // kubectl delete --dry-run=server sends DeleteOptions.dryRun in the body.
  Answer const deleted =
      kube("DELETE",
           "/api/v1/namespaces/app/serviceaccounts/app-sa",
           {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}, {"dryRun", {"All"}}});
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(kube("GET", "/api/v1/namespaces/app/serviceaccounts/app-sa").status, 200);
  EXPECT_EQ(kube("DELETE", "/api/v1/namespaces/app/serviceaccounts/app-sa?dryRun=All").status, 200);
  EXPECT_EQ(kube("GET", "/api/v1/namespaces/app/serviceaccounts/app-sa").status, 200);
}

TEST_F(KubeWorkloadTest, PatchesPodsAndNamespaces) {
  Answer const pod = kube("PATCH",
                          "/api/v1/namespaces/app/pods/web-1",
                          {{"metadata", {{"labels", {{"app", nullptr}, {"tier", "front"}}}}}},
                          "myAKSCluster",
                          "application/strategic-merge-patch+json");
  ASSERT_EQ(pod.status, 200) << pod.text;
  EXPECT_EQ(pod.json["metadata"]["labels"],
            nlohmann::json({{"azure.workload.identity/use", "true"}, {"tier", "front"}}));
  EXPECT_EQ(pod.json["metadata"]["creationTimestamp"], "2026-01-02T03:04:05Z");
  Answer const ns = kube("PATCH",
                         "/api/v1/namespaces/app",
                         {{"metadata", {{"labels", {{"team", "x"}}}}}},
                         "myAKSCluster",
                         "application/merge-patch+json");
  ASSERT_EQ(ns.status, 200) << ns.text;
  EXPECT_EQ(ns.json["metadata"]["labels"]["team"], "x");
  EXPECT_EQ(ns.json["metadata"]["labels"]["kubernetes.io/metadata.name"], "app");
  EXPECT_EQ(kube("PATCH",
                 "/api/v1/namespaces/app/pods/web-1",
                 {{"metadata", nlohmann::json::object()}},
                 "myAKSCluster",
                 "application/json-patch+json")
                .status,
            415);
  EXPECT_EQ(kube("PATCH",
                 "/api/v1/namespaces/app/pods/none",
                 {{"metadata", nlohmann::json::object()}},
                 "myAKSCluster",
                 "application/merge-patch+json")
                .status,
            404);
}

} // namespace
} // namespace wisetup::sim::testing
