// Discovery and OpenAPI documents of the simulated Kubernetes API server. They describe only what
// the simulator serves, but are valid where kubectl reads them: the PATCH operations carry
// x-kubernetes-group-version-kind and the fieldValidation query parameter (kubectl then validates
// on the server instead of needing the full schema), and the schemas carry the patch strategies
// of the fields kubectl's strategic merge patch looks up.
#include "sim/kubernetes_openapi.hpp"

#include <array>
#include <string_view>

namespace wisetup::sim {
namespace {

constexpr std::string_view k_schemas_prefix = "#/components/schemas/";
constexpr char const* k_meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";

// Schemas in OpenAPI 3 form (references under #/components/schemas/).
nlohmann::json const& schemas() {
  static nlohmann::json const k_schemas = nlohmann::json::parse(R"json({
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
    "description": "ObjectMeta is metadata that all persisted resources must have.",
    "type": "object",
    "properties": {
      "annotations": {"type": "object", "additionalProperties": {"type": "string", "default": ""}},
      "creationTimestamp": {"type": "string", "format": "date-time"},
      "deletionTimestamp": {"type": "string", "format": "date-time"},
      "finalizers": {"type": "array", "items": {"type": "string", "default": ""},
                     "x-kubernetes-patch-strategy": "merge"},
      "generateName": {"type": "string"},
      "generation": {"type": "integer", "format": "int64"},
      "labels": {"type": "object", "additionalProperties": {"type": "string", "default": ""}},
      "managedFields": {"type": "array", "items": {"type": "object"}},
      "name": {"type": "string"},
      "namespace": {"type": "string"},
      "ownerReferences": {"type": "array", "items": {"type": "object"},
                          "x-kubernetes-patch-merge-key": "uid",
                          "x-kubernetes-patch-strategy": "merge"},
      "resourceVersion": {"type": "string"},
      "selfLink": {"type": "string"},
      "uid": {"type": "string"}
    }
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta": {
    "type": "object",
    "properties": {
      "continue": {"type": "string"},
      "remainingItemCount": {"type": "integer", "format": "int64"},
      "resourceVersion": {"type": "string"},
      "selfLink": {"type": "string"}
    }
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.Patch": {
    "description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
    "type": "object"
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions": {
    "type": "object",
    "properties": {"resourceVersion": {"type": "string"}, "uid": {"type": "string"}}
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions": {
    "type": "object",
    "properties": {
      "apiVersion": {"type": "string"},
      "dryRun": {"type": "array", "items": {"type": "string", "default": ""}},
      "gracePeriodSeconds": {"type": "integer", "format": "int64"},
      "kind": {"type": "string"},
      "orphanDependents": {"type": "boolean"},
      "preconditions": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions"}]},
      "propagationPolicy": {"type": "string"}
    },
    "x-kubernetes-group-version-kind": [
      {"group": "", "kind": "DeleteOptions", "version": "v1"},
      {"group": "authentication.k8s.io", "kind": "DeleteOptions", "version": "v1"},
      {"group": "authorization.k8s.io", "kind": "DeleteOptions", "version": "v1"}
    ]
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.Status": {
    "type": "object",
    "properties": {
      "apiVersion": {"type": "string"},
      "code": {"type": "integer", "format": "int32"},
      "details": {"type": "object"},
      "kind": {"type": "string"},
      "message": {"type": "string"},
      "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"}]},
      "reason": {"type": "string"},
      "status": {"type": "string"}
    },
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "Status", "version": "v1"}]
  },
  "io.k8s.api.core.v1.ObjectReference": {
    "type": "object",
    "properties": {
      "apiVersion": {"type": "string"}, "fieldPath": {"type": "string"}, "kind": {"type": "string"},
      "name": {"type": "string"}, "namespace": {"type": "string"},
      "resourceVersion": {"type": "string"}, "uid": {"type": "string"}
    },
    "x-kubernetes-map-type": "atomic"
  },
  "io.k8s.api.core.v1.LocalObjectReference": {
    "type": "object",
    "properties": {"name": {"type": "string", "default": ""}},
    "x-kubernetes-map-type": "atomic"
  },
  "io.k8s.api.core.v1.ServiceAccount": {
    "description": "ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets",
    "type": "object",
    "properties": {
      "apiVersion": {"type": "string"},
      "automountServiceAccountToken": {"type": "boolean"},
      "imagePullSecrets": {"type": "array",
                           "items": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.LocalObjectReference"}]}},
      "kind": {"type": "string"},
      "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]},
      "secrets": {"type": "array",
                  "items": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.ObjectReference"}]},
                  "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"}
    },
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "ServiceAccount", "version": "v1"}]
  },
  "io.k8s.api.core.v1.ServiceAccountList": {
    "type": "object",
    "required": ["items"],
    "properties": {
      "apiVersion": {"type": "string"},
      "items": {"type": "array", "items": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.ServiceAccount"}]}},
      "kind": {"type": "string"},
      "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"}]}
    },
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "ServiceAccountList", "version": "v1"}]
  },
  "io.k8s.api.core.v1.Namespace": {
    "type": "object",
    "properties": {
      "apiVersion": {"type": "string"},
      "kind": {"type": "string"},
      "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]},
      "spec": {"type": "object", "properties": {"finalizers": {"type": "array", "items": {"type": "string", "default": ""}}}},
      "status": {"type": "object", "properties": {"phase": {"type": "string"}}}
    },
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "Namespace", "version": "v1"}]
  },
  "io.k8s.api.core.v1.NamespaceList": {
    "type": "object",
    "required": ["items"],
    "properties": {
      "apiVersion": {"type": "string"},
      "items": {"type": "array", "items": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.Namespace"}]}},
      "kind": {"type": "string"},
      "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"}]}
    },
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "NamespaceList", "version": "v1"}]
  },
  "io.k8s.api.core.v1.EnvVar": {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string", "default": ""}, "value": {"type": "string"}, "valueFrom": {"type": "object"}}
  },
  "io.k8s.api.core.v1.Container": {
    "type": "object",
    "required": ["name"],
    "properties": {
      "args": {"type": "array", "items": {"type": "string", "default": ""}},
      "command": {"type": "array", "items": {"type": "string", "default": ""}},
      "env": {"type": "array", "items": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.EnvVar"}]},
              "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"},
      "image": {"type": "string"},
      "name": {"type": "string", "default": ""},
      "volumeMounts": {"type": "array", "items": {"type": "object"},
                       "x-kubernetes-patch-merge-key": "mountPath", "x-kubernetes-patch-strategy": "merge"}
    }
  },
  "io.k8s.api.core.v1.PodSpec": {
    "type": "object",
    "required": ["containers"],
    "properties": {
      "containers": {"type": "array", "items": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.Container"}]},
                     "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"},
      "nodeName": {"type": "string"},
      "serviceAccount": {"type": "string"},
      "serviceAccountName": {"type": "string"},
      "volumes": {"type": "array", "items": {"type": "object"},
                  "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge,retainKeys"}
    }
  },
  "io.k8s.api.core.v1.Pod": {
    "type": "object",
    "properties": {
      "apiVersion": {"type": "string"},
      "kind": {"type": "string"},
      "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]},
      "spec": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.PodSpec"}]},
      "status": {"type": "object"}
    },
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "Pod", "version": "v1"}]
  },
  "io.k8s.api.core.v1.PodList": {
    "type": "object",
    "required": ["items"],
    "properties": {
      "apiVersion": {"type": "string"},
      "items": {"type": "array", "items": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.Pod"}]}},
      "kind": {"type": "string"},
      "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"}]}
    },
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "PodList", "version": "v1"}]
  },
  "io.k8s.api.authentication.v1.TokenRequest": {
    "type": "object",
    "required": ["spec"],
    "properties": {
      "apiVersion": {"type": "string"},
      "kind": {"type": "string"},
      "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]},
      "spec": {"type": "object", "required": ["audiences"],
               "properties": {"audiences": {"type": "array", "items": {"type": "string", "default": ""}},
                              "boundObjectRef": {"type": "object"},
                              "expirationSeconds": {"type": "integer", "format": "int64"}}},
      "status": {"type": "object", "required": ["token", "expirationTimestamp"],
                 "properties": {"expirationTimestamp": {"type": "string", "format": "date-time"},
                                "token": {"type": "string", "default": ""}}}
    },
    "x-kubernetes-group-version-kind": [{"group": "authentication.k8s.io", "kind": "TokenRequest", "version": "v1"}]
  },
  "io.k8s.api.authorization.v1.SelfSubjectAccessReview": {
    "type": "object",
    "required": ["spec"],
    "properties": {
      "apiVersion": {"type": "string"},
      "kind": {"type": "string"},
      "metadata": {"default": {}, "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]},
      "spec": {"type": "object",
               "properties": {"nonResourceAttributes": {"type": "object"},
                              "resourceAttributes": {"type": "object",
                                "properties": {"group": {"type": "string"}, "name": {"type": "string"},
                                               "namespace": {"type": "string"}, "resource": {"type": "string"},
                                               "subresource": {"type": "string"}, "verb": {"type": "string"},
                                               "version": {"type": "string"}}}}},
      "status": {"type": "object", "required": ["allowed"],
                 "properties": {"allowed": {"type": "boolean", "default": false}, "denied": {"type": "boolean"},
                                "evaluationError": {"type": "string"}, "reason": {"type": "string"}}}
    },
    "x-kubernetes-group-version-kind": [{"group": "authorization.k8s.io", "kind": "SelfSubjectAccessReview", "version": "v1"}]
  }
})json");
  return k_schemas;
}

nlohmann::json schema_ref(std::string const& name) {
  return {{"$ref", std::string(k_schemas_prefix) + name}};
}

nlohmann::json gvk(std::string const& group, std::string const& version, std::string const& kind) {
  return {{"group", group}, {"version", version}, {"kind", kind}};
}

nlohmann::json query_parameter(char const* name, char const* description) {
  return {{"name", name},
          {"in", "query"},
          {"description", description},
          {"schema", {{"type", "string"}, {"uniqueItems", true}}}};
}

nlohmann::json path_parameter(char const* name) {
  return {{"name", name},
          {"in", "path"},
          {"required", true},
          {"schema", {{"type", "string"}, {"uniqueItems", true}}}};
}

nlohmann::json json_content(std::string const& schema) {
  nlohmann::json content = nlohmann::json::object();
  for (char const* type : {"application/json", "application/yaml"}) {
    content[type] = {{"schema", schema_ref(schema)}};
  }
  return content;
}

nlohmann::json responses(std::string const& schema, std::initializer_list<char const*> codes) {
  nlohmann::json answers = {{"401", {{"description", "Unauthorized"}}}};
  for (char const* code : codes) {
    answers[code] = {{"description", "OK"}, {"content", json_content(schema)}};
  }
  return answers;
}

struct Operation {
  char const* method;
  char const* id;
  char const* action; // x-kubernetes-action
  std::string schema; // request body schema ("" = none)
  std::string answer; // response schema
};

// One path item: its operations, all for the GVK `kind`.
nlohmann::json path_item(nlohmann::json const& kind,
                         std::initializer_list<char const*> path_parameters,
                         std::vector<Operation> const& operations) {
  nlohmann::json item = nlohmann::json::object();
  auto parameters = nlohmann::json::array();
  for (char const* name : path_parameters) {
    parameters.push_back(path_parameter(name));
  }
  parameters.push_back(query_parameter("pretty", "If 'true', then the output is pretty printed."));
  item["parameters"] = std::move(parameters);
  for (auto const& operation : operations) {
    std::string const method = operation.method;
    nlohmann::json op = {{"operationId", operation.id},
                         {"tags", {"core_v1"}},
                         {"x-kubernetes-action", operation.action},
                         {"x-kubernetes-group-version-kind", kind}};
    auto query = nlohmann::json::array();
    if (method == "post" || method == "put" || method == "patch") {
      query.push_back(query_parameter(
          "dryRun", "When present, indicates that modifications should not be persisted."));
      query.push_back(query_parameter("fieldManager",
                                      "fieldManager is a name associated with the "
                                      "actor or entity that is making these "
                                      "changes."));
      query.push_back(query_parameter(
          "fieldValidation",
          "fieldValidation instructs the server on how to handle objects in the request "
          "(POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore "
          "- Warn - Strict"));
    }
    if (method == "patch") {
      query.push_back({{"name", "force"},
                       {"in", "query"},
                       {"schema", {{"type", "boolean"}, {"uniqueItems", true}}}});
      nlohmann::json content = nlohmann::json::object();
      for (char const* type : {"application/apply-patch+yaml",
                               "application/json-patch+json",
                               "application/merge-patch+json",
                               "application/strategic-merge-patch+json"}) {
        content[type] = {{"schema", schema_ref(std::string(k_meta) + "Patch")}};
      }
      op["requestBody"] = {{"required", true}, {"content", std::move(content)}};
      op["responses"] = responses(operation.answer, {"200", "201"});
    } else if (method == "get" && std::string_view(operation.action) == "list") {
      query.push_back(query_parameter("fieldSelector",
                                      "A selector to restrict the list of returned objects by "
                                      "their fields."));
      query.push_back(query_parameter("labelSelector",
                                      "A selector to restrict the list of returned objects by "
                                      "their labels."));
      op["responses"] = responses(operation.answer, {"200"});
    } else if (method == "delete") {
      op["requestBody"] = {{"content", json_content(std::string(k_meta) + "DeleteOptions")}};
      op["responses"] = responses(operation.answer, {"200", "202"});
    } else {
      if (!operation.schema.empty()) {
        op["requestBody"] = {{"required", true}, {"content", json_content(operation.schema)}};
      }
      op["responses"] =
          responses(operation.answer,
                    method == "post" ? std::initializer_list<char const*>{"200", "201", "202"}
                                     : std::initializer_list<char const*>{"200"});
    }
    if (!query.empty()) {
      op["parameters"] = std::move(query);
    }
    item[method] = std::move(op);
  }
  return item;
}

// The schemas `document` refers to, transitively.
nlohmann::json referenced_schemas(nlohmann::json const& document) {
  nlohmann::json out = nlohmann::json::object();
  std::vector<nlohmann::json const*> pending{&document};
  while (!pending.empty()) {
    nlohmann::json const* node = pending.back();
    pending.pop_back();
    if (node->is_object()) {
      if (auto const found = node->find("$ref"); found != node->end() && found->is_string()) {
        std::string const name = found->get<std::string>().substr(k_schemas_prefix.size());
        if (!out.contains(name) && schemas().contains(name)) {
          out[name] = schemas()[name];
          pending.push_back(&schemas()[name]);
        }
      }
      for (auto const& [key, value] : node->items()) {
        pending.push_back(&value);
      }
    } else if (node->is_array()) {
      for (auto const& value : *node) {
        pending.push_back(&value);
      }
    }
  }
  return out;
}

nlohmann::json openapi_document(std::string const& title, nlohmann::json paths) {
  nlohmann::json document = {{"openapi", "3.0.0"},
                             {"info", {{"title", title}, {"version", "v1.29.9"}}},
                             {"paths", std::move(paths)}};
  document["components"] = {{"schemas", referenced_schemas(document)}};
  return document;
}

nlohmann::json core_v1_document() {
  std::string const core = "io.k8s.api.core.v1.";
  nlohmann::json const sa = gvk("", "v1", "ServiceAccount");
  nlohmann::json const ns = gvk("", "v1", "Namespace");
  nlohmann::json const pod = gvk("", "v1", "Pod");
  nlohmann::json paths = nlohmann::json::object();
  paths["/api/v1/namespaces"] = path_item(
      ns,
      {},
      {{"get", "listCoreV1Namespace", "list", "", core + "NamespaceList"},
       {"post", "createCoreV1Namespace", "post", core + "Namespace", core + "Namespace"}});
  paths["/api/v1/namespaces/{name}"] =
      path_item(ns,
                {"name"},
                {{"get", "readCoreV1Namespace", "get", "", core + "Namespace"},
                 {"patch", "patchCoreV1Namespace", "patch", "", core + "Namespace"}});
  paths["/api/v1/serviceaccounts"] = path_item(sa,
                                               {},
                                               {{"get",
                                                 "listCoreV1ServiceAccountForAllNamespaces",
                                                 "list",
                                                 "",
                                                 core + "ServiceAccountList"}});
  paths["/api/v1/namespaces/{namespace}/serviceaccounts"] = path_item(
      sa,
      {"namespace"},
      {{"get", "listCoreV1NamespacedServiceAccount", "list", "", core + "ServiceAccountList"},
       {"post",
        "createCoreV1NamespacedServiceAccount",
        "post",
        core + "ServiceAccount",
        core + "ServiceAccount"}});
  paths["/api/v1/namespaces/{namespace}/serviceaccounts/{name}"] = path_item(
      sa,
      {"name", "namespace"},
      {{"get", "readCoreV1NamespacedServiceAccount", "get", "", core + "ServiceAccount"},
       {"put",
        "replaceCoreV1NamespacedServiceAccount",
        "put",
        core + "ServiceAccount",
        core + "ServiceAccount"},
       {"patch", "patchCoreV1NamespacedServiceAccount", "patch", "", core + "ServiceAccount"},
       {"delete", "deleteCoreV1NamespacedServiceAccount", "delete", "", core + "ServiceAccount"}});
  paths["/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token"] =
      path_item(gvk("authentication.k8s.io", "v1", "TokenRequest"),
                {"name", "namespace"},
                {{"post",
                  "createCoreV1NamespacedServiceAccountToken",
                  "post",
                  "io.k8s.api.authentication.v1.TokenRequest",
                  "io.k8s.api.authentication.v1.TokenRequest"}});
  paths["/api/v1/namespaces/{namespace}/pods"] =
      path_item(pod,
                {"namespace"},
                {{"get", "listCoreV1NamespacedPod", "list", "", core + "PodList"},
                 {"post", "createCoreV1NamespacedPod", "post", core + "Pod", core + "Pod"}});
  paths["/api/v1/namespaces/{namespace}/pods/{name}"] =
      path_item(pod,
                {"name", "namespace"},
                {{"get", "readCoreV1NamespacedPod", "get", "", core + "Pod"},
                 {"patch", "patchCoreV1NamespacedPod", "patch", "", core + "Pod"},
                 {"delete", "deleteCoreV1NamespacedPod", "delete", "", core + "Pod"}});
  paths["/api/v1/pods"] =
      path_item(pod, {}, {{"get", "listCoreV1PodForAllNamespaces", "list", "", core + "PodList"}});
  return openapi_document("Kubernetes", std::move(paths));
}

nlohmann::json authorization_v1_document() {
  std::string const review = "io.k8s.api.authorization.v1.SelfSubjectAccessReview";
  nlohmann::json paths = nlohmann::json::object();
  paths["/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"] =
      path_item(gvk("authorization.k8s.io", "v1", "SelfSubjectAccessReview"),
                {},
                {{"post", "createAuthorizationV1SelfSubjectAccessReview", "post", review, review}});
  return openapi_document("Kubernetes", std::move(paths));
}

nlohmann::json authentication_v1_document() {
  return openapi_document("Kubernetes", nlohmann::json::object());
}

// The version-less documents kubectl may ask for (discovery paths).
nlohmann::json discovery_document(std::string const& path) {
  nlohmann::json paths = nlohmann::json::object();
  paths["/" + path + "/"] = {
      {"get",
       {{"operationId", "getAPIVersions"},
        {"responses",
         {{"200", {{"description", "OK"}}}, {"401", {{"description", "Unauthorized"}}}}}}}};
  return {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes"}, {"version", "v1.29.9"}}},
          {"paths", std::move(paths)},
          {"components", nlohmann::json::object()}};
}

// A stable hash per document, as the API server publishes (any hex string works for clients).
std::string document_hash(std::string const& path) {
  std::size_t const hash = std::hash<std::string>{}(path + "/wi-setup-sim-1");
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016zX", hash);
  return std::string(buffer) + std::string(buffer);
}

constexpr std::array<char const*, 7> k_documents{"api",
                                                 "api/v1",
                                                 "apis",
                                                 "apis/authentication.k8s.io",
                                                 "apis/authentication.k8s.io/v1",
                                                 "apis/authorization.k8s.io",
                                                 "apis/authorization.k8s.io/v1"};

nlohmann::json resource(char const* name,
                        char const* singular,
                        bool namespaced,
                        char const* kind,
                        std::vector<std::string> const& verbs,
                        std::vector<std::string> const& short_names = {}) {
  nlohmann::json entry = {{"name", name},
                          {"singularName", singular},
                          {"namespaced", namespaced},
                          {"kind", kind},
                          {"verbs", verbs}};
  if (!short_names.empty()) {
    entry["shortNames"] = short_names;
  }
  return entry;
}

nlohmann::json group(char const* name) {
  nlohmann::json const version = {{"groupVersion", std::string(name) + "/v1"}, {"version", "v1"}};
  return {{"name", name}, {"versions", {version}}, {"preferredVersion", version}};
}

} // namespace

nlohmann::json kube_core_resources() {
  nlohmann::json token = resource("serviceaccounts/token", "", true, "TokenRequest", {"create"});
  token["group"] = "authentication.k8s.io";
  token["version"] = "v1";
  return {
      {"kind", "APIResourceList"},
      {"groupVersion", "v1"},
      {"resources",
       {resource("namespaces",
                 "namespace",
                 false,
                 "Namespace",
                 {"create", "get", "list", "patch"},
                 {"ns"}),
        resource("pods", "pod", true, "Pod", {"create", "delete", "get", "list", "patch"}, {"po"}),
        resource("serviceaccounts",
                 "serviceaccount",
                 true,
                 "ServiceAccount",
                 {"create", "delete", "get", "list", "patch", "update"},
                 {"sa"}),
        std::move(token)}}};
}

nlohmann::json kube_api_groups() {
  return {{"kind", "APIGroupList"},
          {"apiVersion", "v1"},
          {"groups", {group("authentication.k8s.io"), group("authorization.k8s.io")}}};
}

std::optional<nlohmann::json> kube_group_document(std::string const& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') {
    trimmed.pop_back();
  }
  for (char const* name : {"authentication.k8s.io", "authorization.k8s.io"}) {
    std::string const base = std::string("/apis/") + name;
    if (trimmed == base) {
      nlohmann::json answer = group(name);
      answer["kind"] = "APIGroup";
      answer["apiVersion"] = "v1";
      return answer;
    }
  }
  if (trimmed == "/apis/authentication.k8s.io/v1") {
    return nlohmann::json{
        {"kind", "APIResourceList"},
        {"apiVersion", "v1"},
        {"groupVersion", "authentication.k8s.io/v1"},
        {"resources",
         {resource(
              "selfsubjectreviews", "selfsubjectreview", false, "SelfSubjectReview", {"create"}),
          resource("tokenreviews", "tokenreview", false, "TokenReview", {"create"})}}};
  }
  if (trimmed == "/apis/authorization.k8s.io/v1") {
    return nlohmann::json{{"kind", "APIResourceList"},
                          {"apiVersion", "v1"},
                          {"groupVersion", "authorization.k8s.io/v1"},
                          {"resources",
                           {resource("selfsubjectaccessreviews",
                                     "selfsubjectaccessreview",
                                     false,
                                     "SelfSubjectAccessReview",
                                     {"create"})}}};
  }
  return std::nullopt;
}

nlohmann::json kube_openapi_v3_index() {
  nlohmann::json paths = nlohmann::json::object();
  for (char const* path : k_documents) {
    paths[path] = {
        {"serverRelativeURL", std::string("/openapi/v3/") + path + "?hash=" + document_hash(path)}};
  }
  return {{"paths", std::move(paths)}};
}

std::optional<nlohmann::json> kube_openapi_v3_document(std::string const& path) {
  if (path == "api/v1") {
    return core_v1_document();
  }
  if (path == "apis/authorization.k8s.io/v1") {
    return authorization_v1_document();
  }
  if (path == "apis/authentication.k8s.io/v1") {
    return authentication_v1_document();
  }
  for (char const* known : k_documents) {
    if (path == known) {
      return discovery_document(path);
    }
  }
  return std::nullopt;
}

nlohmann::json kube_openapi_v2() {
  // Swagger 2.0: the same schemas under "definitions", references rewritten.
  std::string text = schemas().dump();
  std::string const from(k_schemas_prefix);
  std::string const to = "#/definitions/";
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  nlohmann::json definitions = nlohmann::json::parse(text);
  // Swagger 2.0 allows no siblings next to "$ref"; "allOf" wrappers are fine.
  return {{"swagger", "2.0"},
          {"info", {{"title", "Kubernetes"}, {"version", "v1.29.9"}}},
          {"paths", nlohmann::json::object()},
          {"definitions", std::move(definitions)}};
}

} // namespace wisetup::sim
