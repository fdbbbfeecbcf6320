#include "sim/kubernetes_api.hpp"

#include "sim/arm_service.hpp"
#include "sim/cluster_operations.hpp"
#include "sim/encoding.hpp"
#include "sim/http_answers.hpp"
#include "sim/random_values.hpp"

#include <openssl/ssl.h>

#include <regex>

namespace wisetup::sim {
namespace {

constexpr char const* k_aks_server_app_id = "6dae42f8-4368-4678-94ff-3960e28e3630";

struct KubeError {
  int code;
  std::string reason;
  std::string message;
  nlohmann::json details = nullptr;
};

[[noreturn]] void not_found(std::string const& kind, std::string const& name) {
  throw KubeError{
      404, "NotFound", kind + " \"" + name + "\" not found", {{"name", name}, {"kind", kind}}};
}

[[noreturn]] void bad_request(std::string const& message) {
  throw KubeError{400, "BadRequest", message};
}

bool cluster_property(State const& state, std::string const& key, char const* name) {
  auto const resource = state.resources.find(key);
  if (resource == state.resources.end()) {
    return false;
  }
  auto const& properties = resource->second["properties"];
  auto const found = properties.find(name);
  if (found == properties.end() || found->is_null()) {
    return false;
  }
  return found->is_boolean() ? found->get<bool>() : found->is_object();
}

// The cluster the request's credential belongs to, or nullptr. A cluster with
// disableLocalAccounts accepts neither its client certificate nor its static token, only Entra
// tokens, as AKS does.
KubeCluster* authenticate(SimulatorContext& context, httplib::Request const& request) {
  State& state = context.state;
  auto const local_accounts = [&state](std::string const& key) {
    return !cluster_property(state, key, "disableLocalAccounts");
  };
  if (request.ssl != nullptr) {
    if (X509* certificate = SSL_get0_peer_certificate(request.ssl)) {
      for (auto& [key, cluster] : state.kubernetes) {
        if (cluster.client_ca->has_issued(certificate)) {
          return local_accounts(key) ? &cluster : nullptr;
        }
      }
    }
  }
  std::string const header = request.get_header_value("Authorization");
  if (!istarts_with(header, "Bearer ") || header.size() <= 7) {
    return nullptr;
  }
  std::string const token = header.substr(7);
  for (auto& [key, cluster] : state.kubernetes) {
    if (!cluster.static_token.empty() && cluster.static_token == token) {
      return local_accounts(key) ? &cluster : nullptr;
    }
  }
  // Entra tokens for the AKS server app reach the first Entra-integrated cluster.
  BearerCheck const entra = check_bearer(context, request, {k_aks_server_app_id});
  if (!entra.token || !iequals(entra.token->tenant_id, state.tenant_id) ||
      !state.arm_caller(entra.token->object_id)) {
    return nullptr;
  }
  for (auto& [key, cluster] : state.kubernetes) {
    if (cluster_property(state, key, "aadProfile")) {
      return &cluster;
    }
  }
  return nullptr;
}

bool is_dns_label(std::string const& name) {
  static std::regex const k_label{"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"};
  return name.size() <= 63 && std::regex_match(name, k_label);
}

bool is_dns_subdomain(std::string const& name) {
  static std::regex const k_subdomain{
      R"(^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)"};
  return name.size() <= 253 && std::regex_match(name, k_subdomain);
}

[[noreturn]] void invalid_name(std::string const& kind, std::string const& name, bool label) {
  std::string const rule =
      label ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
              "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
              "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
              "'-' or '.', and must start and end with an alphanumeric character (e.g. "
              "'example.com', regex used for validation is "
              "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  std::string const cause = name.empty() ? "Required value: name or generateName is required"
                                         : "Invalid value: \"" + name + "\": " + rule;
  throw KubeError{422,
                  "Invalid",
                  kind + " \"" + name + "\" is invalid: metadata.name: " + cause,
                  {{"name", name},
                   {"kind", kind},
                   {"causes",
                    {{{"reason", name.empty() ? "FieldValueRequired" : "FieldValueInvalid"},
                      {"message", cause},
                      {"field", "metadata.name"}}}}}};
}

std::string media_type(httplib::Request const& request) {
  std::string type = request.get_header_value("Content-Type");
  if (auto const semicolon = type.find(';'); semicolon != std::string::npos) {
    type = type.substr(0, semicolon);
  }
  while (!type.empty() && type.back() == ' ') {
    type.pop_back();
  }
  return to_lower(type);
}

nlohmann::json parse_body(httplib::Request const& request) {
  auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    bad_request("the body of the request is not a JSON object (wi-setup-sim accepts JSON bodies "
                "only, also for application/apply-patch+yaml)");
  }
  if (!body.contains("metadata") || body["metadata"].is_null()) {
    body["metadata"] = nlohmann::json::object();
  }
  return body;
}

// Checks what the API server's decoder would: kind, apiVersion and string maps in metadata. In
// a merge patch, null values are allowed: they delete keys.
void check_object(nlohmann::json const& object, std::string const& kind, bool patch = false) {
  if (object.contains("kind") && object["kind"] != kind) {
    bad_request("the kind of the provided object (" + object["kind"].dump() +
                ") does not match the expected kind \"" + kind + "\"");
  }
  if (object.contains("apiVersion") && object["apiVersion"] != "v1") {
    bad_request("the API version in the data (" + object["apiVersion"].dump() +
                ") does not match the expected API version (v1)");
  }
  if (object.contains("metadata") && !object["metadata"].is_object()) {
    bad_request("metadata must be an object");
  }
  auto const metadata = object.value("metadata", nlohmann::json::object());
  for (char const* map : {"labels", "annotations"}) {
    auto const found = metadata.find(map);
    if (found == metadata.end() || found->is_null()) {
      continue;
    }
    if (!found->is_object()) {
      bad_request(std::string("json: cannot unmarshal metadata.") + map + " into a map of strings");
    }
    for (auto const& [key, value] : found->items()) {
      if (!value.is_string() && !(patch && value.is_null())) {
        bad_request(std::string("json: cannot unmarshal ") + value.type_name() +
                    " into Go struct field ObjectMeta.metadata." + map + " of type string (key \"" +
                    key + "\")");
      }
    }
  }
}

// Empty maps disappear on the wire (omitempty), as in Kubernetes.
void drop_empty_maps(nlohmann::json& object) {
  auto& metadata = object["metadata"];
  for (char const* map : {"labels", "annotations"}) {
    if (metadata.contains(map) && (metadata[map].is_null() || metadata[map].empty())) {
      metadata.erase(map);
    }
  }
}

std::string object_name(nlohmann::json& object) {
  auto& metadata = object["metadata"];
  if (!metadata.is_object()) {
    metadata = nlohmann::json::object();
  }
  if (metadata.value("name", "").empty() && !metadata.value("generateName", "").empty()) {
    static constexpr std::string_view k_alphabet = "bcdfghjklmnpqrstvwxz2456789";
    std::string suffix;
    for (char const byte : random_bytes(5)) {
      suffix.push_back(k_alphabet[static_cast<unsigned char>(byte) % k_alphabet.size()]);
    }
    metadata["name"] = metadata["generateName"].get<std::string>() + suffix;
  }
  auto const name = metadata.find("name");
  return name != metadata.end() && name->is_string() ? name->get<std::string>() : std::string{};
}

bool selector_matches(std::string const& selector, nlohmann::json const& object) {
  nlohmann::json const labels = object["metadata"].value("labels", nlohmann::json::object());
  std::size_t start = 0;
  while (start < selector.size()) {
    std::size_t const end = std::min(selector.find(',', start), selector.size());
    std::string const term = selector.substr(start, end - start);
    start = end + 1;
    if (term.empty()) {
      continue;
    }
    auto const label = [&](std::string const& key) -> std::optional<std::string> {
      auto const found = labels.find(key);
      return found != labels.end() && found->is_string() ? std::optional(found->get<std::string>())
                                                         : std::nullopt;
    };
    if (auto const neq = term.find("!="); neq != std::string::npos) {
      if (label(term.substr(0, neq)) == term.substr(neq + 2)) {
        return false;
      }
    } else if (auto const eq = term.find('='); eq != std::string::npos) {
      std::size_t const value_start = term.compare(eq, 2, "==") == 0 ? eq + 2 : eq + 1;
      if (label(term.substr(0, eq)) != term.substr(value_start)) {
        return false;
      }
    } else if (term.front() == '!') {
      if (label(term.substr(1))) {
        return false;
      }
    } else if (!label(term)) {
      return false;
    }
  }
  return true;
}

std::string human_age(std::string const& timestamp) {
  std::tm parts{};
  if (strptime(timestamp.c_str(), "%Y-%m-%dT%H:%M:%SZ", &parts) == nullptr) {
    return "<unknown>";
  }
  auto const created = std::chrono::system_clock::from_time_t(timegm(&parts));
  auto const seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() - created)
          .count();
  if (seconds < 120) {
    return std::to_string(std::max<long long>(seconds, 0)) + "s";
  }
  if (seconds < 3 * 3600) {
    return std::to_string(seconds / 60) + "m";
  }
  if (seconds < 48 * 3600) {
    return std::to_string(seconds / 3600) + "h";
  }
  return std::to_string(seconds / 86400) + "d";
}

bool wants_table(httplib::Request const& request) {
  return request.get_header_value("Accept").find("as=Table") != std::string::npos;
}

// A list, or the Table kubectl asks for (server-side printing).
nlohmann::json list_answer(httplib::Request const& request,
                           KubeCluster const& cluster,
                           std::string const& kind,
                           std::vector<nlohmann::json> const& items) {
  nlohmann::json const list_metadata = {{"resourceVersion", std::to_string(cluster.revision)}};
  if (!wants_table(request)) {
    auto array = nlohmann::json::array();
    for (auto item : items) {
      item.erase("kind");
      item.erase("apiVersion");
      array.push_back(std::move(item));
    }
    return {{"kind", kind + "List"},
            {"apiVersion", "v1"},
            {"metadata", list_metadata},
            {"items", std::move(array)}};
  }
  bool const namespaces = kind == "Namespace";
  auto columns = nlohmann::json::array();
  columns.push_back({{"name", "Name"},
                     {"type", "string"},
                     {"format", "name"},
                     {"description", "Name must be unique within a namespace."},
                     {"priority", 0}});
  columns.push_back(namespaces ? nlohmann::json{{"name", "Status"},
                                                {"type", "string"},
                                                {"format", ""},
                                                {"description", "The status of the namespace"},
                                                {"priority", 0}}
                               : nlohmann::json{{"name", "Secrets"},
                                                {"type", "integer"},
                                                {"format", ""},
                                                {"description",
                                                 "Secrets is a list of the secrets "
                                                 "in the same namespace."},
                                                {"priority", 0}});
  columns.push_back({{"name", "Age"},
                     {"type", "string"},
                     {"format", ""},
                     {"description", "CreationTimestamp is when the object was created."},
                     {"priority", 0}});
  auto rows = nlohmann::json::array();
  for (auto const& item : items) {
    nlohmann::json const& metadata = item["metadata"];
    nlohmann::json second =
        namespaces
            ? nlohmann::json(item.value("status", nlohmann::json::object()).value("phase", ""))
            : nlohmann::json(item.value("secrets", nlohmann::json::array()).size());
    rows.push_back({{"cells",
                     {metadata.value("name", ""),
                      std::move(second),
                      human_age(metadata.value("creationTimestamp", ""))}},
                    {"object",
                     {{"kind", "PartialObjectMetadata"},
                      {"apiVersion", "meta.k8s.io/v1"},
                      {"metadata", metadata}}}});
  }
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", list_metadata},
          {"columnDefinitions", std::move(columns)},
          {"rows", std::move(rows)}};
}

nlohmann::json version_info(State const& state, KubeCluster const& cluster) {
  std::string version = "1.29.9";
  if (auto const found = state.resources.find(to_lower(cluster.cluster_id));
      found != state.resources.end()) {
    version = found->second["properties"].value(
        "currentKubernetesVersion",
        found->second["properties"].value("kubernetesVersion", version));
  }
  std::string const minor =
      version.find('.') == std::string::npos
          ? version
          : version.substr(version.find('.') + 1, version.rfind('.') - version.find('.') - 1);
  return {{"major", version.substr(0, version.find('.'))},
          {"minor", minor},
          {"gitVersion", "v" + version},
          {"gitCommit", "0000000000000000000000000000000000000000"},
          {"gitTreeState", "clean"},
          {"buildDate", "2024-09-12T00:00:00Z"},
          {"goVersion", "go1.22.6"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

nlohmann::json core_resources() {
  return {{"kind", "APIResourceList"},
          {"groupVersion", "v1"},
          {"resources",
           {{{"name", "namespaces"},
             {"singularName", "namespace"},
             {"namespaced", false},
             {"kind", "Namespace"},
             {"verbs", {"create", "get", "list"}},
             {"shortNames", {"ns"}}},
            {{"name", "serviceaccounts"},
             {"singularName", "serviceaccount"},
             {"namespaced", true},
             {"kind", "ServiceAccount"},
             {"verbs", {"create", "delete", "get", "list", "patch", "update"}},
             {"shortNames", {"sa"}}}}}};
}

struct KubeRequest {
  SimulatorContext& context;
  httplib::Request const& request;
  KubeCluster& cluster;
};

nlohmann::json& find_service_account(KubeRequest& call,
                                     std::string const& namespace_name,
                                     std::string const& name) {
  auto const found = call.cluster.service_accounts.find(namespace_name + "/" + name);
  if (found == call.cluster.service_accounts.end()) {
    not_found("serviceaccounts", name);
  }
  return found->second;
}

void require_namespace(KubeRequest const& call, std::string const& namespace_name) {
  if (call.cluster.namespaces.count(namespace_name) == 0) {
    not_found("namespaces", namespace_name);
  }
}

void check_namespace_of(nlohmann::json const& object, std::string const& namespace_name) {
  auto const& metadata = object["metadata"];
  if (metadata.contains("namespace") && metadata["namespace"] != namespace_name) {
    bad_request("the namespace of the provided object does not match the namespace sent on the "
                "request");
  }
}

void check_resource_version(nlohmann::json const& incoming,
                            nlohmann::json const& stored,
                            std::string const& name) {
  auto const& metadata = incoming["metadata"];
  auto const version = metadata.find("resourceVersion");
  if (version != metadata.end() && !version->is_null() &&
      *version != stored["metadata"]["resourceVersion"]) {
    throw KubeError{409,
                    "Conflict",
                    "Operation cannot be fulfilled on serviceaccounts \"" + name +
                        "\": the object has been modified; please apply your changes to the "
                        "latest version and try again",
                    {{"name", name}, {"kind", "serviceaccounts"}}};
  }
}

// Server-owned metadata survives any update.
nlohmann::json updated_object(KubeRequest& call,
                              nlohmann::json object,
                              nlohmann::json const& stored,
                              std::string const& namespace_name,
                              std::string const& name) {
  object["kind"] = "ServiceAccount";
  object["apiVersion"] = "v1";
  auto& metadata = object["metadata"];
  metadata["name"] = name;
  metadata["namespace"] = namespace_name;
  for (char const* field : {"uid", "creationTimestamp"}) {
    metadata[field] = stored["metadata"][field];
  }
  metadata["resourceVersion"] = next_resource_version(call.cluster);
  drop_empty_maps(object);
  return object;
}

int create_service_account(KubeRequest& call,
                           nlohmann::json object,
                           std::string const& namespace_name,
                           nlohmann::json& answer) {
  check_object(object, "ServiceAccount");
  std::string const name = object_name(object);
  check_namespace_of(object, namespace_name);
  if (!is_dns_subdomain(name)) {
    invalid_name("ServiceAccount", name, false);
  }
  require_namespace(call, namespace_name);
  std::string const key = namespace_name + "/" + name;
  if (call.cluster.service_accounts.count(key) != 0) {
    throw KubeError{409,
                    "AlreadyExists",
                    "serviceaccounts \"" + name + "\" already exists",
                    {{"name", name}, {"kind", "serviceaccounts"}}};
  }
  object["metadata"].erase("resourceVersion");
  nlohmann::json stored =
      new_service_account_object(call.cluster, std::move(object), namespace_name);
  drop_empty_maps(stored);
  call.cluster.service_accounts[key] = stored;
  answer = std::move(stored);
  return 201;
}

int patch_service_account(KubeRequest& call,
                          std::string const& namespace_name,
                          std::string const& name,
                          nlohmann::json& answer) {
  std::string const type = media_type(call.request);
  bool const apply = type == "application/apply-patch+yaml";
  bool const merge =
      type == "application/merge-patch+json" || type == "application/strategic-merge-patch+json";
  bool const json_patch = type == "application/json-patch+json";
  if (!apply && !merge && !json_patch) {
    throw KubeError{415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types "
                    "include: application/json-patch+json, application/merge-patch+json, "
                    "application/apply-patch+yaml, application/strategic-merge-patch+json"};
  }
  if (apply && call.request.get_param_value("fieldManager").empty()) {
    throw KubeError{422,
                    "Invalid",
                    "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is "
                    "required for apply patch",
                    {{"group", "meta.k8s.io"},
                     {"kind", "PatchOptions"},
                     {"causes",
                      {{{"reason", "FieldValueRequired"},
                        {"message", "Required value: is required for apply patch"},
                        {"field", "fieldManager"}}}}}};
  }
  nlohmann::json patch;
  if (json_patch) {
    patch = nlohmann::json::parse(call.request.body, nullptr, false);
    if (patch.is_discarded() || !patch.is_array()) {
      bad_request("a JSON patch must be a JSON array of operations");
    }
  } else {
    patch = parse_body(call.request);
    check_object(patch, "ServiceAccount", merge);
  }
  std::string const key = namespace_name + "/" + name;
  auto const found = call.cluster.service_accounts.find(key);
  if (found == call.cluster.service_accounts.end()) {
    if (!apply) {
      require_namespace(call, namespace_name);
      not_found("serviceaccounts", name);
    }
    if (patch["metadata"].value("name", name) != name) {
      bad_request("the name of the object (" + patch["metadata"]["name"].get<std::string>() +
                  ") does not match the name on the URL (" + name + ")");
    }
    patch["metadata"]["name"] = name;
    return create_service_account(call, std::move(patch), namespace_name, answer);
  }
  nlohmann::json patched = found->second;
  if (json_patch) {
    try {
      patched = patched.patch(patch);
    } catch (nlohmann::json::exception const& error) {
      throw KubeError{
          422, "Invalid", std::string("the JSON patch could not be applied: ") + error.what()};
    }
    check_object(patched, "ServiceAccount");
  } else {
    if (patch.contains("metadata")) {
      check_resource_version(patch, found->second, name);
      if (patch["metadata"].value("name", name) != name) {
        bad_request("the name of the object (" + patch["metadata"]["name"].get<std::string>() +
                    ") does not match the name on the URL (" + name + ")");
      }
      check_namespace_of(patch, namespace_name);
      patch["metadata"].erase("resourceVersion");
    }
    patched.merge_patch(patch);
  }
  nlohmann::json stored =
      updated_object(call, std::move(patched), found->second, namespace_name, name);
  found->second = stored;
  answer = std::move(stored);
  return 200;
}

// Dispatches one authenticated request; returns the status and sets `answer`.
int serve(KubeRequest& call, nlohmann::json& answer) {
  static std::regex const k_namespaces{"^/api/v1/namespaces$"};
  static std::regex const k_namespace{"^/api/v1/namespaces/([^/]+)$"};
  static std::regex const k_accounts{"^/api/v1/namespaces/([^/]+)/serviceaccounts$"};
  static std::regex const k_account{"^/api/v1/namespaces/([^/]+)/serviceaccounts/([^/]+)$"};
  static std::regex const k_all_accounts{"^/api/v1/serviceaccounts$"};
  std::string const& path = call.request.path;
  std::string const& method = call.request.method;
  bool const get = method == "GET" || method == "HEAD";
  KubeCluster& cluster = call.cluster;
  std::smatch match;
  auto const method_not_allowed = [] {
    throw KubeError{
        405, "MethodNotAllowed", "the server does not allow this method on the requested resource"};
  };

  if (path == "/version" || path == "/version/") {
    answer = version_info(call.context.state, cluster);
    return 200;
  }
  if (path == "/api" || path == "/api/") {
    answer = {{"kind", "APIVersions"},
              {"versions", {"v1"}},
              {"serverAddressByClientCIDRs",
               {{{"clientCIDR", "0.0.0.0/0"},
                 {"serverAddress", "127.0.0.1:" + std::to_string(call.context.kube_port)}}}}};
    return 200;
  }
  if (path == "/api/v1" || path == "/api/v1/") {
    answer = core_resources();
    return 200;
  }
  if (path == "/apis" || path == "/apis/") {
    answer = {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", nlohmann::json::array()}};
    return 200;
  }
  if (path == "/healthz" || path == "/livez" || path == "/readyz") {
    answer = "ok";
    return 200;
  }
  std::string const selector = call.request.get_param_value("labelSelector");
  if (std::regex_match(path, match, k_namespaces)) {
    if (get) {
      std::vector<nlohmann::json> items;
      for (auto const& [name, object] : cluster.namespaces) {
        if (selector_matches(selector, object)) {
          items.push_back(object);
        }
      }
      answer = list_answer(call.request, cluster, "Namespace", items);
      return 200;
    }
    if (method != "POST") {
      method_not_allowed();
    }
    nlohmann::json object = parse_body(call.request);
    check_object(object, "Namespace");
    std::string const name = object_name(object);
    if (!is_dns_label(name)) {
      invalid_name("Namespace", name, true);
    }
    if (cluster.namespaces.count(name) != 0) {
      throw KubeError{409,
                      "AlreadyExists",
                      "namespaces \"" + name + "\" already exists",
                      {{"name", name}, {"kind", "namespaces"}}};
    }
    nlohmann::json metadata = object["metadata"];
    metadata.erase("resourceVersion");
    cluster.namespaces[name] = new_namespace_object(cluster, metadata);
    cluster.service_accounts[name + "/default"] =
        new_service_account_object(cluster, {{"metadata", {{"name", "default"}}}}, name);
    answer = cluster.namespaces[name];
    return 201;
  }
  if (std::regex_match(path, match, k_namespace)) {
    if (!get) {
      method_not_allowed();
    }
    auto const found = cluster.namespaces.find(match[1].str());
    if (found == cluster.namespaces.end()) {
      not_found("namespaces", match[1].str());
    }
    answer = found->second;
    return 200;
  }
  if (std::regex_match(path, match, k_all_accounts)) {
    if (!get) {
      method_not_allowed();
    }
    std::vector<nlohmann::json> items;
    for (auto const& [key, object] : cluster.service_accounts) {
      if (selector_matches(selector, object)) {
        items.push_back(object);
      }
    }
    answer = list_answer(call.request, cluster, "ServiceAccount", items);
    return 200;
  }
  if (std::regex_match(path, match, k_accounts)) {
    std::string const namespace_name = match[1].str();
    if (get) {
      std::vector<nlohmann::json> items;
      std::string const prefix = namespace_name + "/";
      for (auto it = cluster.service_accounts.lower_bound(prefix);
           it != cluster.service_accounts.end() && it->first.rfind(prefix, 0) == 0;
           ++it) {
        if (selector_matches(selector, it->second)) {
          items.push_back(it->second);
        }
      }
      answer = list_answer(call.request, cluster, "ServiceAccount", items);
      return 200;
    }
    if (method != "POST") {
      method_not_allowed();
    }
    return create_service_account(call, parse_body(call.request), namespace_name, answer);
  }
  if (std::regex_match(path, match, k_account)) {
    std::string const namespace_name = match[1].str();
    std::string const name = match[2].str();
    if (get) {
      answer = find_service_account(call, namespace_name, name);
      return 200;
    }
    if (method == "PUT") {
      nlohmann::json object = parse_body(call.request);
      check_object(object, "ServiceAccount");
      if (object["metadata"].value("name", "") != name) {
        bad_request("the name of the object (" + object["metadata"].value("name", "") +
                    ") does not match the name on the URL (" + name + ")");
      }
      check_namespace_of(object, namespace_name);
      nlohmann::json& stored = find_service_account(call, namespace_name, name);
      check_resource_version(object, stored, name);
      stored = updated_object(call, std::move(object), stored, namespace_name, name);
      answer = stored;
      return 200;
    }
    if (method == "PATCH") {
      return patch_service_account(call, namespace_name, name, answer);
    }
    if (method == "DELETE") {
      answer = find_service_account(call, namespace_name, name);
      cluster.service_accounts.erase(namespace_name + "/" + name);
      ++cluster.revision; // a deletion is a write too
      return 200;
    }
    method_not_allowed();
  }
  throw KubeError{404, "NotFound", "the server could not find the requested resource"};
}

} // namespace

void handle_kubernetes(SimulatorContext& context,
                       httplib::Request const& request,
                       httplib::Response& response) {
  std::lock_guard lock{context.mutex};
  settle_cluster_operations(context);
  KubeCluster* cluster = authenticate(context, request);
  if (cluster == nullptr) {
    send_json(response, 401, kube_status(401, "Unauthorized", "Unauthorized"));
    return;
  }
  KubeRequest call{context, request, *cluster};
  try {
    nlohmann::json answer;
    int const status = serve(call, answer);
    if (answer.is_string()) {
      response.status = status;
      response.set_content(answer.get<std::string>(), "text/plain; charset=utf-8");
    } else {
      send_json(response, status, answer);
    }
  } catch (KubeError const& error) {
    send_json(
        response, error.code, kube_status(error.code, error.reason, error.message, error.details));
  }
}

} // namespace wisetup::sim
