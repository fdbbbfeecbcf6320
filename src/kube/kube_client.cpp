// core/v1 on the cluster's API server: GET/POST /api/v1/namespaces, GET/POST/PATCH (JSON merge
// patch)/DELETE /api/v1/namespaces/{ns}/serviceaccounts, POST .../serviceaccounts/{sa}/token,
// GET .../pods; POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews.
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/kube/kube_client.hpp>

namespace wisetup::kube {
namespace {

using json = nlohmann::json;

constexpr std::string_view k_merge_patch = "application/merge-patch+json";

std::string segment(std::string const& name) {
  if (name.empty()) {
    throw core::InvalidInput("A Kubernetes namespace or object name is empty; pass a name.");
  }
  return http::percent_encode(name);
}

std::string string_member(json const& object, char const* name) {
  if (!object.is_object()) {
    return {};
  }
  auto const found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

/// What a user can do about a refusal the Status message does not explain.
std::string hint_for(int status) {
  switch (status) {
  case 401:
    return "; the API server did not accept the kubeconfig's credentials";
  case 403:
    return "; grant the signed-in user that permission in the cluster (Kubernetes RBAC, or Azure "
           "RBAC for Kubernetes on Entra-integrated clusters)";
  default:
    return {};
  }
}

[[noreturn]] void throw_kube_error(http::Request const& request,
                                   http::Response const& response,
                                   std::string const& what) {
  http::ServiceFault fault;
  fault.status = response.status;
  fault.request_id = response.headers.get("Audit-Id").value_or("");
  fault.method = std::string(http::to_string(request.method));
  fault.url = request.url.substr(0, request.url.find('?'));
  // The Status object; proxies in front of the API server may answer with anything else.
  auto const body = json::parse(response.body, nullptr, false);
  if (!body.is_discarded()) {
    fault.code = string_member(body, "reason");
    fault.message = string_member(body, "message");
  }
  auto sentence =
      "Kubernetes refused " + fault.method + " " + what + " (" + std::to_string(fault.status) +
      (fault.code.empty() ? "" : " " + fault.code) + "): " +
      (fault.message.empty() ? "the API server answered without a Status message" : fault.message) +
      hint_for(fault.status) + ".";
  throw http::ServiceError(sentence, std::move(fault));
}

json parse_body(http::Request const& request,
                http::Response const& response,
                std::string const& what) {
  if (response.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return json::object();
  }
  auto body = json::parse(response.body, nullptr, false);
  if (body.is_discarded()) {
    throw core::InvalidInput("The Kubernetes API server answered " +
                             std::string(http::to_string(request.method)) + " " + what + " (" +
                             std::to_string(response.status) +
                             ") with a body that is not JSON; check the server of the kubeconfig.");
  }
  return body;
}

std::string service_account_path(std::string const& ns, std::string const& name) {
  return "/api/v1/namespaces/" + segment(ns) + "/serviceaccounts/" + segment(name);
}

} // namespace

KubeClient::KubeClient(std::shared_ptr<http::Pipeline const> pipeline, std::string server)
    : m_pipeline(std::move(pipeline)), m_server(core::without_trailing_slash(std::move(server))) {}

std::optional<json> KubeClient::get_namespace(std::string const& name) const {
  return get("/api/v1/namespaces/" + segment(name), "namespaces/" + name);
}

void KubeClient::create_namespace(std::string const& name) const {
  json const body{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
  auto const request =
      make_request(http::Method::Post, "/api/v1/namespaces", body, "application/json");
  auto const response = m_pipeline->send(request);
  if (response.status == 409) {
    auto const status = json::parse(response.body, nullptr, false);
    // Another writer created it between our GET and POST: the namespace exists, as wanted.
    if (!status.is_discarded() && string_member(status, "reason") == "AlreadyExists") {
      return;
    }
  }
  if (!response.ok()) {
    throw_kube_error(request, response, "namespaces/" + name);
  }
}

std::optional<json> KubeClient::get_service_account(std::string const& ns,
                                                    std::string const& name) const {
  return get("/api/v1/namespaces/" + segment(ns) + "/serviceaccounts/" + segment(name),
             "serviceaccounts/" + ns + "/" + name);
}

json KubeClient::create_service_account(std::string const& ns, json const& body) const {
  auto const name =
      body.is_object() ? string_member(body.value("metadata", json::object()), "name") : "";
  return send(make_request(http::Method::Post,
                           "/api/v1/namespaces/" + segment(ns) + "/serviceaccounts",
                           body,
                           "application/json"),
              "serviceaccounts/" + ns + (name.empty() ? "" : "/" + name));
}

json KubeClient::merge_patch_service_account(std::string const& ns,
                                             std::string const& name,
                                             json const& patch) const {
  return send(
      make_request(http::Method::Patch,
                   "/api/v1/namespaces/" + segment(ns) + "/serviceaccounts/" + segment(name),
                   patch,
                   k_merge_patch),
      "serviceaccounts/" + ns + "/" + name);
}

bool KubeClient::delete_service_account(std::string const& ns,
                                        std::string const& name,
                                        std::string const& uid,
                                        std::string const& resource_version) const {
  json body{{"apiVersion", "v1"}, {"kind", "DeleteOptions"}};
  json preconditions = json::object();
  if (!uid.empty()) {
    preconditions["uid"] = uid;
  }
  if (!resource_version.empty()) {
    preconditions["resourceVersion"] = resource_version;
  }
  if (!preconditions.empty()) {
    body["preconditions"] = std::move(preconditions);
  }
  auto const what = "serviceaccounts/" + ns + "/" + name;
  auto const request =
      make_request(http::Method::Delete, service_account_path(ns, name), body, "application/json");
  auto const response = m_pipeline->send(request);
  if (response.status == 404) {
    return false;
  }
  if (!response.ok()) {
    throw_kube_error(request, response, what);
  }
  return true;
}

std::string KubeClient::create_token(std::string const& ns,
                                     std::string const& service_account,
                                     std::string const& audience,
                                     std::chrono::seconds expiration) const {
  json spec = json::object();
  if (!audience.empty()) {
    spec["audiences"] = json::array({audience});
  }
  if (expiration.count() > 0) {
    spec["expirationSeconds"] = expiration.count();
  }
  json const body{{"apiVersion", "authentication.k8s.io/v1"},
                  {"kind", "TokenRequest"},
                  {"spec", std::move(spec)}};
  auto const what = "serviceaccounts/" + ns + "/" + service_account + "/token";
  // Errors are built from the Status of a refusal, which carries no token; a 2xx answer is
  // never quoted.
  auto const answer = send(make_request(http::Method::Post,
                                        service_account_path(ns, service_account) + "/token",
                                        body,
                                        "application/json"),
                           what);
  auto const status = answer.find("status");
  auto token = status != answer.end() ? string_member(*status, "token") : std::string();
  if (token.empty()) {
    throw core::InvalidInput("The Kubernetes API server answered POST " + what +
                             " without status.token; check the server of the kubeconfig.");
  }
  return token;
}

std::vector<json> KubeClient::list_pods(std::string const& ns,
                                        std::string const& service_account) const {
  if (service_account.empty()) {
    throw core::InvalidInput("A Kubernetes service account name is empty; pass a name.");
  }
  auto const base = "/api/v1/namespaces/" + segment(ns) + "/pods?fieldSelector=" +
                    http::percent_encode("spec.serviceAccountName=" + service_account);
  auto const what = "pods/" + ns;
  std::vector<json> pods;
  std::string next;
  for (;;) {
    auto const path = next.empty() ? base : base + "&continue=" + http::percent_encode(next);
    auto const page = send(make_request(http::Method::Get, path, std::nullopt, {}), what);
    if (auto const items = page.find("items"); items != page.end() && items->is_array()) {
      pods.insert(pods.end(), items->begin(), items->end());
    }
    auto const metadata = page.find("metadata");
    next = metadata != page.end() ? string_member(*metadata, "continue") : std::string();
    if (next.empty()) {
      return pods;
    }
  }
}

bool KubeClient::can_i(std::string const& verb,
                       std::string const& resource,
                       std::string const& ns,
                       std::string const& subresource) const {
  json attributes{{"verb", verb}, {"resource", resource}};
  if (!ns.empty()) {
    attributes["namespace"] = ns;
  }
  if (!subresource.empty()) {
    attributes["subresource"] = subresource;
  }
  json const body{{"apiVersion", "authorization.k8s.io/v1"},
                  {"kind", "SelfSubjectAccessReview"},
                  {"spec", {{"resourceAttributes", std::move(attributes)}}}};
  auto const answer = send(make_request(http::Method::Post,
                                        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                                        body,
                                        "application/json"),
                           "selfsubjectaccessreviews");
  auto const status = answer.find("status");
  if (status == answer.end() || !status->is_object()) {
    return false;
  }
  auto const allowed = status->find("allowed");
  return allowed != status->end() && allowed->is_boolean() && allowed->get<bool>();
}

http::Request KubeClient::make_request(http::Method method,
                                       std::string const& path,
                                       std::optional<json> const& body,
                                       std::string_view content_type) const {
  http::Request request{method, m_server + path, {}, {}};
  request.headers.set("Accept", "application/json");
  if (body) {
    request.headers.set("Content-Type", content_type);
    request.body = body->dump();
  }
  return request;
}

std::optional<json> KubeClient::get(std::string const& path, std::string const& what) const {
  auto const request = make_request(http::Method::Get, path, std::nullopt, {});
  auto const response = m_pipeline->send(request);
  if (response.status == 404) {
    return std::nullopt;
  }
  if (!response.ok()) {
    throw_kube_error(request, response, what);
  }
  return parse_body(request, response, what);
}

json KubeClient::send(http::Request const& request, std::string const& what) const {
  auto const response = m_pipeline->send(request);
  if (!response.ok()) {
    throw_kube_error(request, response, what);
  }
  return parse_body(request, response, what);
}

} // namespace wisetup::kube
