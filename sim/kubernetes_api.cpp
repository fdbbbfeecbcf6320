#include "sim/kubernetes_api.hpp"

#include "sim/arm_service.hpp"
#include "sim/cluster_operations.hpp"
#include "sim/encoding.hpp"
#include "sim/hosted_issuers.hpp"
#include "sim/http_answers.hpp"
#include "sim/kubernetes_openapi.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"
#include "sim/well_known_apps.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

namespace wisetup::sim {
namespace {

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

// Who sent a request: the cluster its credential belongs to, and the user and groups the API
// server's authenticators would name (what authorization decides on).
struct KubeCaller {
  KubeCluster* cluster = nullptr;
  std::string user;
  std::vector<std::string> groups;
};

// The caller of the request's credential; cluster nullptr when it authenticates to none. A
// cluster with disableLocalAccounts accepts neither its client certificate nor its static token,
// only Entra tokens, as AKS does.
KubeCaller authenticate_kube_caller(SimulatorContext& context, httplib::Request const& request) {
  State& state = context.state;
  auto const local_accounts = [&state](std::string const& key) {
    return !cluster_property(state, key, "disableLocalAccounts");
  };
  // Local accounts (the masterclient certificate, the static token) are cluster admins on AKS.
  auto const local = [&](std::string const& key, KubeCluster& cluster, char const* user) {
    return local_accounts(key)
               ? KubeCaller{&cluster, user, {"system:masters", "system:authenticated"}}
               : KubeCaller{};
  };
  if (request.ssl != nullptr) {
    if (X509* certificate = SSL_get0_peer_certificate(request.ssl)) {
      for (auto& [key, cluster] : state.kubernetes) {
        if (cluster.client_ca->has_issued(certificate)) {
          return local(key, cluster, "masterclient");
        }
      }
    }
  }
  std::string const header = request.get_header_value("Authorization");
  if (!istarts_with(header, "Bearer ") || header.size() <= 7) {
    return {};
  }
  std::string const token = header.substr(7);
  for (auto& [key, cluster] : state.kubernetes) {
    if (!cluster.static_token.empty() && cluster.static_token == token) {
      return local(key, cluster, "clusterUser");
    }
  }
  // Entra tokens for the AKS server app reach the first Entra-integrated cluster.
  BearerCheck const entra = check_bearer(context, request, {k_aks_server_app_id});
  if (!entra.token || !iequals(entra.token->tenant_id, state.tenant_id) ||
      !state.arm_caller(entra.token->object_id)) {
    return {};
  }
  for (auto& [key, cluster] : state.kubernetes) {
    if (cluster_property(state, key, "aadProfile")) {
      return {&cluster, entra.token->object_id, {"system:authenticated"}};
    }
  }
  return {};
}

// What a request asks to do, as authorization sees it.
struct KubeAttributes {
  std::string verb; ///< get, list, create, update, patch, delete, ...
  std::string group;
  std::string resource;
  std::string subresource;
  std::string namespace_name;
  std::string name;
};

struct KubeDecision {
  bool allowed = false;
  std::string reason;
};

// The simulator's authorizer. Local accounts are in system:masters (as on AKS); an Entra caller
// the seed restricts (kubernetesRbac) may do what its rules allow, as a Role bound to it would;
// every other Entra caller gets what Azure RBAC would give an owner. SelfSubjectAccessReviews
// ask this function too.
KubeDecision authorize(State const& state, KubeCaller const& caller, KubeAttributes const& asked) {
  if (std::find(caller.groups.begin(), caller.groups.end(), "system:masters") !=
      caller.groups.end()) {
    return {true, ""};
  }
  auto const restricted = state.kubernetes_rules.find(to_lower(caller.user));
  if (restricted == state.kubernetes_rules.end()) {
    return {true, "wi-setup-sim: this user is not restricted (no kubernetesRbac entry)"};
  }
  std::string const resource =
      asked.subresource.empty() ? asked.resource : asked.resource + "/" + asked.subresource;
  auto const lists = [](std::vector<std::string> const& values, std::string const& value) {
    return std::any_of(values.begin(), values.end(), [&value](auto const& listed) {
      return listed == "*" || listed == value;
    });
  };
  for (auto const& rule : restricted->second) {
    if (lists(rule.verbs, asked.verb) && lists(rule.resources, resource) &&
        (rule.namespaces.empty() ||
         (!asked.namespace_name.empty() && lists(rule.namespaces, asked.namespace_name)))) {
      return {true, "RBAC: allowed by the seed's kubernetesRbac rules"};
    }
  }
  return {false, ""};
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

// A query parameter as Go's url.ParseQuery reads it: the name ends at the first '=' (so
// "fieldSelector=spec.serviceAccountName=x" works unencoded too), %XX and '+' decoded.
std::string query_parameter(httplib::Request const& request, std::string const& name) {
  auto const question = request.target.find('?');
  if (question == std::string::npos) {
    return {};
  }
  std::string const query = request.target.substr(question + 1);
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t const end = std::min(query.find('&', start), query.size());
    std::string const pair = query.substr(start, end - start);
    start = end + 1;
    std::size_t const eq = pair.find('=');
    if (url_decode(pair.substr(0, eq), true) == name) {
      return eq == std::string::npos ? std::string{} : url_decode(pair.substr(eq + 1), true);
    }
  }
  return {};
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
  bool const pods = kind == "Pod";
  auto column = [](char const* name, char const* type, char const* description) {
    return nlohmann::json{{"name", name},
                          {"type", type},
                          {"format", std::string_view(name) == "Name" ? "name" : ""},
                          {"description", description},
                          {"priority", 0}};
  };
  auto columns = nlohmann::json::array();
  columns.push_back(column("Name", "string", "Name must be unique within a namespace."));
  if (namespaces) {
    columns.push_back(column("Status", "string", "The status of the namespace"));
  } else if (pods) {
    columns.push_back(column("Ready", "string", "The aggregate readiness state of this pod."));
    columns.push_back(column("Status", "string", "The aggregate status of the containers."));
    columns.push_back(
        column("Restarts", "string", "The number of times the containers restarted."));
  } else {
    columns.push_back(
        column("Secrets", "integer", "Secrets is a list of the secrets in the same namespace."));
  }
  columns.push_back(column("Age", "string", "CreationTimestamp is when the object was created."));
  auto rows = nlohmann::json::array();
  for (auto const& item : items) {
    nlohmann::json const& metadata = item["metadata"];
    auto cells = nlohmann::json::array({metadata.value("name", "")});
    if (namespaces) {
      cells.push_back(item.value("status", nlohmann::json::object()).value("phase", ""));
    } else if (pods) {
      nlohmann::json const status = item.value("status", nlohmann::json::object());
      auto const containers = status.value("containerStatuses", nlohmann::json::array());
      std::size_t ready = 0;
      long long restarts = 0;
      for (auto const& container : containers) {
        ready += container.value("ready", false) ? 1 : 0;
        restarts += container.value("restartCount", 0LL);
      }
      std::size_t const total = item.value("spec", nlohmann::json::object())
                                    .value("containers", nlohmann::json::array())
                                    .size();
      cells.push_back(std::to_string(ready) + "/" + std::to_string(total));
      cells.push_back(status.value("phase", "Unknown"));
      cells.push_back(std::to_string(restarts));
    } else {
      cells.push_back(item.value("secrets", nlohmann::json::array()).size());
    }
    cells.push_back(human_age(metadata.value("creationTimestamp", "")));
    rows.push_back({{"cells", std::move(cells)},
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

struct KubeRequest {
  SimulatorContext& context;
  httplib::Request const& request;
  KubeCluster& cluster;
  KubeCaller const& caller;
  std::vector<std::string> warnings; ///< "Warning: 299 - ..." headers of the answer
};

// Server-side field validation (the fieldValidation query parameter; kubectl sends Strict since
// the OpenAPI document offers it): an unknown field is a 400 BadRequest with Strict, a warning
// with Warn (the default) and nothing with Ignore. Checks the top level and metadata.
void check_unknown_fields(KubeRequest& call,
                          nlohmann::json const& object,
                          std::string const& kind) {
  static std::set<std::string> const k_metadata{"name",
                                                "generateName",
                                                "namespace",
                                                "selfLink",
                                                "uid",
                                                "resourceVersion",
                                                "generation",
                                                "creationTimestamp",
                                                "deletionTimestamp",
                                                "deletionGracePeriodSeconds",
                                                "labels",
                                                "annotations",
                                                "ownerReferences",
                                                "finalizers",
                                                "managedFields"};
  static std::map<std::string, std::set<std::string>> const k_top{
      {"ServiceAccount",
       {"apiVersion",
        "kind",
        "metadata",
        "secrets",
        "imagePullSecrets",
        "automountServiceAccountToken"}},
      {"Pod", {"apiVersion", "kind", "metadata", "spec", "status"}},
      {"Namespace", {"apiVersion", "kind", "metadata", "spec", "status"}}};
  std::string const mode = call.request.get_param_value("fieldValidation");
  if (mode == "Ignore" || !object.is_object()) {
    return;
  }
  if (!mode.empty() && mode != "Strict" && mode != "Warn") {
    bad_request("fieldValidation must be one of Ignore, Warn or Strict, not \"" + mode + "\"");
  }
  std::vector<std::string> unknown;
  auto const& top = k_top.at(kind);
  for (auto const& [key, value] : object.items()) {
    if (top.count(key) == 0) {
      unknown.push_back(key);
    }
  }
  if (auto const metadata = object.find("metadata");
      metadata != object.end() && metadata->is_object()) {
    for (auto const& [key, value] : metadata->items()) {
      if (k_metadata.count(key) == 0) {
        unknown.push_back("metadata." + key);
      }
    }
  }
  if (unknown.empty()) {
    return;
  }
  if (mode == "Strict") {
    std::string message = "strict decoding error: ";
    for (std::size_t i = 0; i < unknown.size(); ++i) {
      message += (i == 0 ? "" : ", ") + std::string("unknown field \"") + unknown[i] + "\"";
    }
    bad_request(message);
  }
  for (auto const& field : unknown) {
    call.warnings.push_back("299 - \"unknown field \\\"" + field + "\\\"\"");
  }
}

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
  check_unknown_fields(call, object, "ServiceAccount");
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
    check_unknown_fields(call, patch, "ServiceAccount");
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

// Throws 403 Forbidden, worded as the API server words it, unless the caller may do it.
void require_allowed(KubeRequest const& call, KubeAttributes const& attributes) {
  KubeDecision const decision = authorize(call.context.state, call.caller, attributes);
  if (decision.allowed) {
    return;
  }
  std::string const resource = attributes.subresource.empty()
                                   ? attributes.resource
                                   : attributes.resource + "/" + attributes.subresource;
  std::string const where = attributes.namespace_name.empty()
                                ? "at the cluster scope"
                                : "in the namespace \"" + attributes.namespace_name + "\"";
  throw KubeError{
      403,
      "Forbidden",
      attributes.resource + (attributes.name.empty() ? "" : " \"" + attributes.name + "\"") +
          " is forbidden: User \"" + call.caller.user + "\" cannot " + attributes.verb +
          " resource \"" + resource + "\" in API group \"" + attributes.group + "\" " + where,
      {{"name", attributes.name}, {"kind", attributes.resource}}};
}

nlohmann::json parse_json_object(httplib::Request const& request) {
  auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    bad_request("the body of the request is not a JSON object");
  }
  return body;
}

void check_type(nlohmann::json const& object, std::string const& kind, std::string const& api) {
  if (object.contains("kind") && object["kind"] != kind) {
    bad_request("the kind of the provided object (" + object["kind"].dump() +
                ") does not match the expected kind \"" + kind + "\"");
  }
  if (object.contains("apiVersion") && object["apiVersion"] != api) {
    bad_request("the API version in the data (" + object["apiVersion"].dump() +
                ") does not match the expected API version (" + api + ")");
  }
}

[[noreturn]] void invalid_field(std::string const& kind_and_group,
                                std::string const& kind,
                                std::string const& group,
                                std::string const& name,
                                std::string const& field,
                                std::string const& reason,
                                std::string const& cause) {
  nlohmann::json details = {
      {"name", name},
      {"kind", kind},
      {"causes", {{{"reason", reason}, {"message", cause}, {"field", field}}}}};
  if (!group.empty()) {
    details["group"] = group;
  }
  throw KubeError{422,
                  "Invalid",
                  kind_and_group + " \"" + name + "\" is invalid: " + field + ": " + cause,
                  std::move(details)};
}

// POST .../serviceaccounts/{name}/token (reference section 15): a TokenRequest.
int create_token(KubeRequest& call,
                 std::string const& namespace_name,
                 std::string const& name,
                 nlohmann::json& answer) {
  constexpr long long k_minimum = 600;       // "may not specify a duration less than 10 minutes"
  constexpr long long k_largest = 1LL << 32; // "... larger than 2^32 seconds"
  constexpr long long k_server_maximum =
      86400; // AKS issues service-account tokens for a day at most
  nlohmann::json const body = parse_json_object(call.request);
  check_type(body, "TokenRequest", "authentication.k8s.io/v1");
  require_allowed(call, {"create", "", "serviceaccounts", "token", namespace_name, name});
  nlohmann::json const account = find_service_account(call, namespace_name, name);
  std::string const cluster_key = to_lower(call.cluster.cluster_id);
  std::string const issuer = service_account_issuer(call.context.state, cluster_key);
  nlohmann::json const spec = body.value("spec", nlohmann::json::object());
  if (!spec.is_object()) {
    bad_request("spec must be an object");
  }
  std::vector<std::string> audiences;
  if (auto const found = spec.find("audiences"); found != spec.end() && !found->is_null()) {
    if (!found->is_array()) {
      bad_request("spec.audiences must be an array of strings");
    }
    for (auto const& audience : *found) {
      if (!audience.is_string()) {
        bad_request("spec.audiences must be an array of strings");
      }
      audiences.push_back(audience.get<std::string>());
    }
  }
  if (audiences.empty()) {
    audiences.push_back(issuer); // the API server's own audience
  }
  long long requested = 3600;
  if (auto const found = spec.find("expirationSeconds"); found != spec.end() && !found->is_null()) {
    if (!found->is_number_integer()) {
      bad_request("spec.expirationSeconds must be an integer");
    }
    requested = found->get<long long>();
  }
  std::string const group_kind = "TokenRequest.authentication.k8s.io";
  if (requested < k_minimum) {
    invalid_field(group_kind,
                  "TokenRequest",
                  "authentication.k8s.io",
                  name,
                  "spec.expirationSeconds",
                  "FieldValueInvalid",
                  "Invalid value: " + std::to_string(requested) +
                      ": may not specify a duration less than 10 minutes");
  }
  if (requested > k_largest) {
    invalid_field(group_kind,
                  "TokenRequest",
                  "authentication.k8s.io",
                  name,
                  "spec.expirationSeconds",
                  "FieldValueInvalid",
                  "Invalid value: " + std::to_string(requested) +
                      ": may not specify a duration larger than 2^32 seconds");
  }
  long long const lifetime = std::min(requested, k_server_maximum);
  auto const now = std::chrono::system_clock::now();
  long long const issued = unix_seconds(now);
  long long const expires = issued + lifetime;
  std::string const token = mint_service_account_token(call.context,
                                                       cluster_key,
                                                       namespace_name,
                                                       name,
                                                       account["metadata"].value("uid", ""),
                                                       audiences,
                                                       issued,
                                                       expires);
  answer = {
      {"kind", "TokenRequest"},
      {"apiVersion", "authentication.k8s.io/v1"},
      {"metadata", {{"name", name}, {"namespace", namespace_name}, {"creationTimestamp", nullptr}}},
      {"spec",
       {{"audiences", audiences},
        {"expirationSeconds", lifetime},
        {"boundObjectRef", spec.value("boundObjectRef", nlohmann::json())}}},
      {"status",
       {{"token", token},
        {"expirationTimestamp", utc_seconds(now + std::chrono::seconds{lifetime})}}}};
  return 201;
}

// fieldSelector on pods: "a=b", "a==b", "a!=b", joined by commas, over the fields the API server
// supports for pods; others are 400 "field label not supported".
bool pod_fields_match(std::string const& selector, nlohmann::json const& pod) {
  static std::map<std::string, nlohmann::json::json_pointer> const k_fields{
      {"metadata.name", nlohmann::json::json_pointer{"/metadata/name"}},
      {"metadata.namespace", nlohmann::json::json_pointer{"/metadata/namespace"}},
      {"spec.serviceAccountName", nlohmann::json::json_pointer{"/spec/serviceAccountName"}},
      {"spec.nodeName", nlohmann::json::json_pointer{"/spec/nodeName"}},
      {"spec.restartPolicy", nlohmann::json::json_pointer{"/spec/restartPolicy"}},
      {"spec.schedulerName", nlohmann::json::json_pointer{"/spec/schedulerName"}},
      {"status.phase", nlohmann::json::json_pointer{"/status/phase"}},
      {"status.podIP", nlohmann::json::json_pointer{"/status/podIP"}},
      {"status.nominatedNodeName", nlohmann::json::json_pointer{"/status/nominatedNodeName"}}};
  std::size_t start = 0;
  while (start < selector.size()) {
    std::size_t const end = std::min(selector.find(',', start), selector.size());
    std::string const term = selector.substr(start, end - start);
    start = end + 1;
    if (term.empty()) {
      continue;
    }
    std::size_t const neq = term.find("!=");
    std::size_t const eq = term.find('=');
    if (eq == std::string::npos) {
      bad_request("invalid field selector: \"" + term + "\": expected an operator (=, ==, !=)");
    }
    bool const negated = neq != std::string::npos && neq < eq;
    std::string const field = term.substr(0, negated ? neq : eq);
    std::size_t value_start = negated ? neq + 2 : eq + 1;
    if (!negated && term.compare(eq, 2, "==") == 0) {
      value_start = eq + 2;
    }
    std::string const wanted = term.substr(value_start);
    auto const known = k_fields.find(field);
    if (known == k_fields.end()) {
      bad_request("field label not supported: " + field);
    }
    std::string const actual = pod.contains(known->second) && pod[known->second].is_string()
                                   ? pod[known->second].get<std::string>()
                                   : std::string{};
    if ((actual == wanted) == negated) {
      return false;
    }
  }
  return true;
}

bool cluster_has_workload_identity(State const& state, KubeCluster const& cluster) {
  static nlohmann::json::json_pointer const k_enabled{
      "/properties/securityProfile/workloadIdentity/enabled"};
  auto const found = state.resources.find(to_lower(cluster.cluster_id));
  return found != state.resources.end() && found->second.value(k_enabled, false) == true;
}

// What the workload identity webhook does at admission to a pod labelled
// azure.workload.identity/use: "true" on a cluster with workload identity (reference section 15):
// the AZURE_* variables (values already set are kept) and the projected token volume.
void workload_identity_webhook(KubeRequest const& call,
                               nlohmann::json& pod,
                               nlohmann::json const& account) {
  nlohmann::json const labels = pod["metadata"].value("labels", nlohmann::json::object());
  if (labels.value("azure.workload.identity/use", "") != "true" ||
      !cluster_has_workload_identity(call.context.state, call.cluster)) {
    return;
  }
  nlohmann::json const annotations =
      account["metadata"].value("annotations", nlohmann::json::object());
  std::string const client_id = annotations.value("azure.workload.identity/client-id", "");
  std::string const tenant_id =
      annotations.value("azure.workload.identity/tenant-id", call.context.state.tenant_id);
  std::string const token_directory = "/var/run/secrets/azure/tokens";
  std::vector<std::pair<std::string, std::string>> variables;
  if (!client_id.empty()) {
    variables.emplace_back("AZURE_CLIENT_ID", client_id);
  }
  variables.emplace_back("AZURE_TENANT_ID", tenant_id);
  variables.emplace_back("AZURE_FEDERATED_TOKEN_FILE", token_directory + "/azure-identity-token");
  variables.emplace_back("AZURE_AUTHORITY_HOST", call.context.base_url + "/");
  for (auto& container : pod["spec"]["containers"]) {
    if (!container.contains("env") || !container["env"].is_array()) {
      container["env"] = nlohmann::json::array();
    }
    auto& env = container["env"];
    for (auto const& [variable, value] : variables) {
      bool const present = std::any_of(env.begin(), env.end(), [&](nlohmann::json const& entry) {
        return entry.is_object() && entry.value("name", "") == variable;
      });
      if (!present) {
        env.push_back({{"name", variable}, {"value", value}});
      }
    }
    if (!container.contains("volumeMounts") || !container["volumeMounts"].is_array()) {
      container["volumeMounts"] = nlohmann::json::array();
    }
    container["volumeMounts"].push_back(
        {{"name", "azure-identity-token"}, {"mountPath", token_directory}, {"readOnly", true}});
  }
  auto& spec = pod["spec"];
  if (!spec.contains("volumes") || !spec["volumes"].is_array()) {
    spec["volumes"] = nlohmann::json::array();
  }
  spec["volumes"].push_back({{"name", "azure-identity-token"},
                             {"projected",
                              {{"defaultMode", 420},
                               {"sources",
                                {{{"serviceAccountToken",
                                   {{"audience", "api://AzureADTokenExchange"},
                                    {"expirationSeconds", 3600},
                                    {"path", "azure-identity-token"}}}}}}}}});
}

int create_pod(KubeRequest& call, std::string const& namespace_name, nlohmann::json& answer) {
  nlohmann::json object = parse_body(call.request);
  check_object(object, "Pod");
  check_unknown_fields(call, object, "Pod");
  std::string const name = object_name(object);
  check_namespace_of(object, namespace_name);
  if (!is_dns_subdomain(name)) {
    invalid_name("Pod", name, false);
  }
  require_allowed(call, {"create", "", "pods", "", namespace_name, name});
  require_namespace(call, namespace_name);
  nlohmann::json const spec = object.value("spec", nlohmann::json::object());
  if (!spec.is_object() || !spec.contains("containers") || !spec["containers"].is_array() ||
      spec["containers"].empty()) {
    invalid_field(
        "Pod", "Pod", "", name, "spec.containers", "FieldValueRequired", "Required value");
  }
  std::string const key = namespace_name + "/" + name;
  if (call.cluster.pods.count(key) != 0) {
    throw KubeError{409,
                    "AlreadyExists",
                    "pods \"" + name + "\" already exists",
                    {{"name", name}, {"kind", "pods"}}};
  }
  std::string const account_name =
      spec.value("serviceAccountName", spec.value("serviceAccount", "default"));
  auto const account = call.cluster.service_accounts.find(namespace_name + "/" + account_name);
  if (account == call.cluster.service_accounts.end()) {
    throw KubeError{403,
                    "Forbidden",
                    "pods \"" + name + "\" is forbidden: error looking up service account " +
                        namespace_name + "/" + account_name + ": serviceaccount \"" + account_name +
                        "\" not found",
                    {{"name", name}, {"kind", "pods"}}};
  }
  object["metadata"].erase("resourceVersion");
  object["metadata"].erase("creationTimestamp"); // set by the server: now
  object["spec"]["serviceAccountName"] = account_name;
  workload_identity_webhook(call, object, account->second);
  nlohmann::json stored = new_pod_object(call.cluster, std::move(object), namespace_name);
  drop_empty_maps(stored);
  call.cluster.pods[key] = stored;
  answer = std::move(stored);
  return 201;
}

int list_pods(KubeRequest& call, std::string const& namespace_name, nlohmann::json& answer) {
  require_allowed(call, {"list", "", "pods", "", namespace_name, ""});
  std::string const labels = query_parameter(call.request, "labelSelector");
  std::string const fields = query_parameter(call.request, "fieldSelector");
  std::vector<nlohmann::json> items;
  for (auto const& [key, pod] : call.cluster.pods) {
    if (!namespace_name.empty() && key.rfind(namespace_name + "/", 0) != 0) {
      continue;
    }
    if (selector_matches(labels, pod) && pod_fields_match(fields, pod)) {
      items.push_back(pod);
    }
  }
  answer = list_answer(call.request, call.cluster, "Pod", items);
  return 200;
}

// POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews: asks the authorizer.
int self_subject_access_review(KubeRequest& call, nlohmann::json& answer) {
  nlohmann::json const body = parse_json_object(call.request);
  check_type(body, "SelfSubjectAccessReview", "authorization.k8s.io/v1");
  nlohmann::json const spec = body.value("spec", nlohmann::json::object());
  bool const resource = spec.is_object() && spec.contains("resourceAttributes") &&
                        spec["resourceAttributes"].is_object();
  bool const non_resource = spec.is_object() && spec.contains("nonResourceAttributes") &&
                            spec["nonResourceAttributes"].is_object();
  if (resource == non_resource) {
    invalid_field("SelfSubjectAccessReview.authorization.k8s.io",
                  "SelfSubjectAccessReview",
                  "authorization.k8s.io",
                  "",
                  "spec.resourceAttributes",
                  "FieldValueInvalid",
                  std::string("Invalid value: \"") + (resource ? "{...}" : "null") +
                      "\": exactly one of nonResourceAttributes or resourceAttributes must be "
                      "specified");
  }
  KubeAttributes attributes;
  if (resource) {
    nlohmann::json const& wanted = spec["resourceAttributes"];
    attributes = {wanted.value("verb", ""),
                  wanted.value("group", ""),
                  wanted.value("resource", ""),
                  wanted.value("subresource", ""),
                  wanted.value("namespace", ""),
                  wanted.value("name", "")};
  } else {
    attributes.verb = spec["nonResourceAttributes"].value("verb", "");
    attributes.name = spec["nonResourceAttributes"].value("path", "");
  }
  KubeDecision const decision = authorize(call.context.state, call.caller, attributes);
  nlohmann::json status = {{"allowed", decision.allowed}};
  if (!decision.allowed) {
    status["denied"] = true;
  }
  if (!decision.reason.empty()) {
    status["reason"] = decision.reason;
  }
  answer = {{"kind", "SelfSubjectAccessReview"},
            {"apiVersion", "authorization.k8s.io/v1"},
            {"metadata", {{"creationTimestamp", nullptr}}},
            {"spec", spec},
            {"status", std::move(status)}};
  return 201;
}

// POST /apis/authentication.k8s.io/v1/selfsubjectreviews (kubectl auth whoami).
int self_subject_review(KubeRequest& call, nlohmann::json& answer) {
  nlohmann::json const body = parse_json_object(call.request);
  check_type(body, "SelfSubjectReview", "authentication.k8s.io/v1");
  answer = {
      {"kind", "SelfSubjectReview"},
      {"apiVersion", "authentication.k8s.io/v1"},
      {"metadata", {{"creationTimestamp", nullptr}}},
      {"status", {{"userInfo", {{"username", call.caller.user}, {"groups", call.caller.groups}}}}}};
  return 201;
}

// DELETE .../serviceaccounts/{name} with an optional DeleteOptions body whose preconditions
// (uid, resourceVersion) must match the stored object, else 409 Conflict.
int delete_service_account(KubeRequest& call,
                           std::string const& namespace_name,
                           std::string const& name,
                           nlohmann::json& answer) {
  require_allowed(call, {"delete", "", "serviceaccounts", "", namespace_name, name});
  nlohmann::json options = nlohmann::json::object();
  if (!call.request.body.empty()) {
    options = parse_json_object(call.request);
    check_type(options, "DeleteOptions", "v1");
  }
  nlohmann::json const& stored = find_service_account(call, namespace_name, name);
  nlohmann::json const preconditions = options.value("preconditions", nlohmann::json::object());
  if (!preconditions.is_null() && !preconditions.is_object()) {
    bad_request("preconditions must be an object {uid, resourceVersion}");
  }
  auto const conflict =
      [&](char const* what, std::string const& wanted, std::string const& actual) {
        throw KubeError{409,
                        "Conflict",
                        "Operation cannot be fulfilled on serviceaccounts \"" + name +
                            "\": Precondition failed: " + what + " in precondition: " + wanted +
                            ", " + what + " in object meta: " + actual,
                        {{"name", name}, {"kind", "serviceaccounts"}}};
      };
  if (preconditions.is_object()) {
    std::string const uid = stored["metadata"].value("uid", "");
    std::string const version = stored["metadata"].value("resourceVersion", "");
    if (auto const wanted = preconditions.find("uid");
        wanted != preconditions.end() && wanted->is_string() && *wanted != uid) {
      conflict("UID", wanted->get<std::string>(), uid);
    }
    if (auto const wanted = preconditions.find("resourceVersion");
        wanted != preconditions.end() && wanted->is_string() && *wanted != version) {
      conflict("ResourceVersion", wanted->get<std::string>(), version);
    }
  }
  answer = stored;
  call.cluster.service_accounts.erase(namespace_name + "/" + name);
  ++call.cluster.revision; // a deletion is a write too
  return 200;
}

// GET /openapi/v2 (JSON only: a client that accepts protobuf only gets 406) and /openapi/v3[...].
int openapi(KubeRequest& call, nlohmann::json& answer) {
  std::string const& path = call.request.path;
  if (call.request.method != "GET" && call.request.method != "HEAD") {
    throw KubeError{
        405, "MethodNotAllowed", "the server does not allow this method on the requested resource"};
  }
  if (path == "/openapi/v2") {
    std::string const accept = call.request.get_header_value("Accept");
    if (!accept.empty() && accept.find("json") == std::string::npos &&
        accept.find("*/*") == std::string::npos) {
      throw KubeError{406,
                      "NotAcceptable",
                      "only the following media types are accepted: application/json "
                      "(wi-setup-sim serves no protobuf)"};
    }
    answer = kube_openapi_v2();
    return 200;
  }
  if (path == "/openapi/v3" || path == "/openapi/v3/") {
    answer = kube_openapi_v3_index();
    return 200;
  }
  static std::string const k_prefix = "/openapi/v3/";
  if (path.rfind(k_prefix, 0) == 0) {
    if (auto document = kube_openapi_v3_document(path.substr(k_prefix.size()))) {
      answer = std::move(*document);
      return 200;
    }
  }
  throw KubeError{404, "NotFound", "the server could not find the requested resource"};
}

// PATCH of a pod or namespace (merge and strategic merge patches, which agree on what the
// simulator stores): server-owned metadata is kept, resourceVersion grows.
int patch_other(KubeRequest& call,
                nlohmann::json& stored,
                std::string const& kind,
                std::string const& resource,
                std::string const& name,
                nlohmann::json& answer) {
  std::string const type = media_type(call.request);
  if (type != "application/merge-patch+json" && type != "application/strategic-merge-patch+json") {
    throw KubeError{415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - wi-setup-sim accepts "
                    "application/merge-patch+json and application/strategic-merge-patch+json for " +
                        resource};
  }
  nlohmann::json patch = parse_body(call.request);
  check_object(patch, kind, true);
  check_unknown_fields(call, patch, kind);
  if (patch["metadata"].value("name", name) != name) {
    bad_request("the name of the object does not match the name on the URL (" + name + ")");
  }
  if (auto const version = patch["metadata"].find("resourceVersion");
      version != patch["metadata"].end() && !version->is_null() &&
      *version != stored["metadata"]["resourceVersion"]) {
    throw KubeError{409,
                    "Conflict",
                    "Operation cannot be fulfilled on " + resource + " \"" + name +
                        "\": the object has been modified; please apply your changes to the "
                        "latest version and try again",
                    {{"name", name}, {"kind", resource}}};
  }
  nlohmann::json const server_metadata = stored["metadata"];
  nlohmann::json patched = stored;
  patched.merge_patch(patch);
  for (char const* field : {"name", "namespace", "uid", "creationTimestamp"}) {
    if (server_metadata.contains(field)) {
      patched["metadata"][field] = server_metadata[field];
    }
  }
  patched["kind"] = kind;
  patched["apiVersion"] = "v1";
  patched["metadata"]["resourceVersion"] = next_resource_version(call.cluster);
  drop_empty_maps(patched);
  stored = patched;
  answer = std::move(patched);
  return 200;
}

// Dispatches one authenticated request; returns the status and sets `answer`.
int serve(KubeRequest& call, nlohmann::json& answer) {
  static std::regex const k_namespaces{"^/api/v1/namespaces$"};
  static std::regex const k_namespace{"^/api/v1/namespaces/([^/]+)$"};
  static std::regex const k_accounts{"^/api/v1/namespaces/([^/]+)/serviceaccounts$"};
  static std::regex const k_account{"^/api/v1/namespaces/([^/]+)/serviceaccounts/([^/]+)$"};
  static std::regex const k_all_accounts{"^/api/v1/serviceaccounts$"};
  static std::regex const k_token{"^/api/v1/namespaces/([^/]+)/serviceaccounts/([^/]+)/token$"};
  static std::regex const k_pods{"^/api/v1/namespaces/([^/]+)/pods$"};
  static std::regex const k_pod{"^/api/v1/namespaces/([^/]+)/pods/([^/]+)$"};
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
    answer = kube_core_resources();
    return 200;
  }
  if (path == "/apis" || path == "/apis/") {
    answer = kube_api_groups();
    return 200;
  }
  if (auto document = kube_group_document(path)) {
    answer = std::move(*document);
    return 200;
  }
  if (path.rfind("/openapi/", 0) == 0) {
    return openapi(call, answer);
  }
  if (path == "/healthz" || path == "/livez" || path == "/readyz") {
    answer = "ok";
    return 200;
  }
  if (path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
    if (method != "POST") {
      method_not_allowed();
    }
    return self_subject_access_review(call, answer);
  }
  if (path == "/apis/authentication.k8s.io/v1/selfsubjectreviews") {
    if (method != "POST") {
      method_not_allowed();
    }
    return self_subject_review(call, answer);
  }
  if (std::regex_match(path, match, k_token)) {
    if (method != "POST") {
      method_not_allowed();
    }
    return create_token(call, match[1].str(), match[2].str(), answer);
  }
  if (path == "/api/v1/pods") {
    if (!get) {
      method_not_allowed();
    }
    return list_pods(call, "", answer);
  }
  if (std::regex_match(path, match, k_pods)) {
    if (get) {
      return list_pods(call, match[1].str(), answer);
    }
    if (method != "POST") {
      method_not_allowed();
    }
    return create_pod(call, match[1].str(), answer);
  }
  if (std::regex_match(path, match, k_pod)) {
    std::string const key = match[1].str() + "/" + match[2].str();
    auto const found = cluster.pods.find(key);
    if (!get && method != "DELETE" && method != "PATCH") {
      method_not_allowed();
    }
    if (found == cluster.pods.end()) {
      not_found("pods", match[2].str());
    }
    if (method == "PATCH") {
      return patch_other(call, found->second, "Pod", "pods", match[2].str(), answer);
    }
    answer = found->second;
    if (method == "DELETE") {
      cluster.pods.erase(found);
      ++cluster.revision;
    }
    return 200;
  }
  // Authorization of the namespace and service account routes below (those above check their own).
  auto const verb = [&](bool collection) -> std::string {
    if (get) {
      return collection ? "list" : "get";
    }
    if (method == "POST") {
      return "create";
    }
    if (method == "DELETE") {
      return collection ? "deletecollection" : "delete";
    }
    return method == "PATCH" ? "patch" : "update";
  };
  if (std::regex_match(path, match, k_namespaces)) {
    require_allowed(call, {verb(true), "", "namespaces", "", "", ""});
  } else if (std::regex_match(path, match, k_namespace)) {
    require_allowed(call, {verb(false), "", "namespaces", "", "", match[1].str()});
  } else if (std::regex_match(path, match, k_accounts)) {
    require_allowed(call, {verb(true), "", "serviceaccounts", "", match[1].str(), ""});
  } else if (std::regex_match(path, match, k_account)) {
    require_allowed(call, {verb(false), "", "serviceaccounts", "", match[1].str(), match[2].str()});
  } else if (std::regex_match(path, match, k_all_accounts)) {
    require_allowed(call, {verb(true), "", "serviceaccounts", "", "", ""});
  }
  std::string const selector = query_parameter(call.request, "labelSelector");
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
    if (!get && method != "PATCH") {
      method_not_allowed();
    }
    auto const found = cluster.namespaces.find(match[1].str());
    if (found == cluster.namespaces.end()) {
      not_found("namespaces", match[1].str());
    }
    if (method == "PATCH") {
      return patch_other(call, found->second, "Namespace", "namespaces", match[1].str(), answer);
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
      check_unknown_fields(call, object, "ServiceAccount");
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
      return delete_service_account(call, namespace_name, name, answer);
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
  KubeCaller const caller = authenticate_kube_caller(context, request);
  if (caller.cluster == nullptr) {
    send_json(response, 401, kube_status(401, "Unauthorized", "Unauthorized"));
    return;
  }
  KubeRequest call{context, request, *caller.cluster, caller, {}};
  // dryRun=All: the request is served in full (validation, conflicts, the answer) on the
  // cluster's objects, which are then put back as they were.
  bool dry_run = request.method != "GET" && request.method != "HEAD" &&
                 request.get_param_value("dryRun") == "All";
  if (request.method == "DELETE" && !request.body.empty()) { // DeleteOptions.dryRun
    auto const options = nlohmann::json::parse(request.body, nullptr, false);
    if (options.is_object() && options.contains("dryRun") && options["dryRun"].is_array()) {
      for (auto const& value : options["dryRun"]) {
        dry_run = dry_run || value == "All";
      }
    }
  }
  std::optional<KubeCluster> const before =
      dry_run ? std::optional<KubeCluster>(*caller.cluster) : std::nullopt;
  try {
    nlohmann::json answer;
    int const status = serve(call, answer);
    std::set<std::string> sent;
    for (auto const& warning : call.warnings) {
      if (sent.insert(warning).second) {
        response.set_header("Warning", warning);
      }
    }
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
  if (before) {
    *caller.cluster = *before;
  }
}

} // namespace wisetup::sim
