#pragma once

#include "sim/certificates.hpp"
#include "sim/options.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wisetup::sim {

/// A federated identity credential of an app registration (reference section 7.3): a token from
/// `issuer` about `subject` for one of `audiences` signs the application in. Matched exactly.
struct FederatedCredential {
  std::string name;
  std::string issuer;
  std::string subject;
  std::vector<std::string> audiences;
};

/// A principal that can sign in with client credentials (secret, certificate or federated
/// token), or, as ARM sees it, any caller with its rights.
struct ServicePrincipal {
  std::string display_name;
  std::string client_id;
  std::string client_secret; ///< empty: no secret. Secret: never in output
  std::string object_id;
  bool reader_only = false;                ///< denies every action that does not end in /read
  std::vector<std::string> denied_actions; ///< case-insensitive; '*' matches any run of characters
  /// Not empty: only these actions (same patterns) are allowed, as a custom role grants them.
  std::vector<std::string> allowed_actions;
  std::vector<std::shared_ptr<PublicCertificate const>> certificates; ///< registered public certs
  std::vector<FederatedCredential> federated_credentials;
};

/// A person who signs in with the device code flow, with ARM rights like a service principal's.
struct User {
  std::string object_id;
  std::string user_principal_name;
  std::string display_name;
  bool reader_only = false;
  std::vector<std::string> denied_actions;
};

/// A public client application (no secret), which may start device code sign-ins.
struct PublicClient {
  std::string client_id;
  std::string display_name;
};

/// ARM rights of managed identities' principals.
struct ArmAccess {
  bool reader_only = false;
  std::vector<std::string> denied_actions;
};

/// The managed identities of the machine the IMDS and App Service endpoints serve.
struct ManagedIdentityHost {
  std::optional<ServicePrincipal> system_assigned; ///< never has a secret or certificates
  /// Seeded user-assigned identities attached to the machine, by client id or ARM resource id;
  /// looked up in the resources on every request (a deleted identity is not found).
  std::vector<std::string> user_assigned;
};

/// A user-assigned identity resource found in the state.
struct IdentityRef {
  std::string key;                          ///< lower-case resource id
  nlohmann::json const* resource = nullptr; ///< its wire JSON
  [[nodiscard]] std::string property(char const* name) const;
};

struct ResourceGroup {
  std::string name;
  std::string location;
  nlohmann::json tags = nlohmann::json::object();
};

struct Subscription {
  std::string id;
  std::string display_name;
  std::map<std::string, ResourceGroup> resource_groups; ///< by lower-case name
};

/// A cluster's long-running operation (PUT create or update).
struct ClusterOperation {
  std::string name; ///< a GUID, the last segment of the Azure-AsyncOperation URL
  std::string cluster_key;
  std::string subscription_id;
  std::string location;
  std::chrono::system_clock::time_point started_at;
  std::chrono::steady_clock::time_point due_at;
  std::optional<std::chrono::system_clock::time_point> ended_at;
  Seconds duration{0};
  std::string status = "InProgress";           ///< InProgress, Succeeded or Failed
  nlohmann::json error;                        ///< {"code","message"} once Failed
  std::optional<nlohmann::json> planned_error; ///< from the seed's "sim:operationError"
};

/// The Kubernetes side of one cluster: its credentials and objects.
struct KubeCluster {
  std::string cluster_id; ///< the ARM id, as written
  std::string cluster_name;
  std::string resource_group;
  std::shared_ptr<CertificateAuthority const> client_ca;
  std::shared_ptr<IssuedCertificate const>
      client_certificate;                                 ///< CN=masterclient, O=system:masters
  std::string static_token;                               ///< secret
  std::int64_t revision = 0;                              ///< last resourceVersion handed out
  std::map<std::string, nlohmann::json> namespaces;       ///< by name
  std::map<std::string, nlohmann::json> service_accounts; ///< by "namespace/name"
  std::map<std::string, nlohmann::json> pods;             ///< by "namespace/name"
};

/// A secret in a vault's data plane (seed: the vault resource's "sim:secrets").
struct VaultSecret {
  std::string value;     ///< secret: only GET {vaultUri}secrets/{name} returns it
  std::string version;   ///< 32 hex digits
  long long created = 0; ///< epoch seconds
  std::string content_type;
};

/// One rule of a restricted Kubernetes user's Role: these verbs on these resources ("pods",
/// "serviceaccounts/token") in these namespaces (empty: every namespace, and cluster-wide).
struct KubeRule {
  std::vector<std::string> verbs;
  std::vector<std::string> resources;
  std::vector<std::string> namespaces;
};

/// The whole simulated world. Not thread-safe: SimulatorContext::mutex guards it.
struct State {
  std::string tenant_id;
  std::vector<ServicePrincipal> service_principals;
  std::map<std::string, std::string> directory_objects;   ///< lower object id -> principal type
  std::map<std::string, Subscription> subscriptions;      ///< by lower-case id
  std::map<std::string, nlohmann::json> resources;        ///< lower-case ARM id -> wire JSON
  std::map<std::string, nlohmann::json> role_assignments; ///< lower-case id -> wire JSON
  std::map<std::string, ClusterOperation> operations;     ///< by lower-case name
  std::map<std::string, KubeCluster> kubernetes;          ///< by lower-case cluster id
  std::map<std::string, std::vector<std::string>> api_versions; ///< family -> accepted versions
  std::vector<User> users;
  std::vector<PublicClient> public_clients;
  ManagedIdentityHost managed_identity_host;
  /// ARM rights by lower-case principal id of a user-assigned identity, or "*" for every one
  /// (also those created at run time). Identities without an entry have none.
  std::map<std::string, ArmAccess> identity_access;
  std::string github_subject; ///< "sub" of the tokens GET /github/token hands out
  /// Kubernetes RBAC of restricted users, by lower-case user name (an Entra caller's object id):
  /// such a user may do only what a rule allows. Users without an entry may do everything.
  std::map<std::string, std::vector<KubeRule>> kubernetes_rules;
  /// Key Vault data plane: lower-case vault resource id -> lower-case secret name -> secret.
  std::map<std::string, std::map<std::string, VaultSecret>> vault_secrets;

  [[nodiscard]] ServicePrincipal const* principal_by_client_id(std::string const& client_id) const;
  [[nodiscard]] ServicePrincipal const* principal_by_object_id(std::string const& object_id) const;
  /// A user by object id or user principal name (case-insensitive).
  [[nodiscard]] User const* user(std::string const& object_id_or_upn) const;
  [[nodiscard]] PublicClient const* public_client(std::string const& client_id) const;
  /// The user-assigned identity whose properties.`property` ("clientId" or "principalId") equals
  /// `value` (case-insensitive), or whose resource id is `value` when `property` is "id".
  [[nodiscard]] std::optional<IdentityRef> identity_by(char const* property,
                                                       std::string const& value) const;
  /// The federated identity credential resources of the identity stored under `identity_key`.
  [[nodiscard]] std::vector<nlohmann::json const*>
  identity_credentials(std::string const& identity_key) const;
  /// Who `object_id` is to ARM, with its rights: a service principal, a user, the machine's
  /// system-assigned identity or a user-assigned identity (rights from identity_access; none
  /// without an entry: every action denied). nullopt for an unknown principal.
  [[nodiscard]] std::optional<ServicePrincipal> arm_caller(std::string const& object_id) const;
  /// "ServicePrincipal", "User", ... for any principal the directory knows (service principals,
  /// seeded directory objects, user-assigned identities).
  [[nodiscard]] std::optional<std::string> principal_type(std::string const& object_id) const;
  [[nodiscard]] Subscription* subscription(std::string const& id);
  /// The cluster's operation that is still InProgress, if any.
  [[nodiscard]] ClusterOperation const* running_operation(std::string const& cluster_key) const;
};

/// Creates the Kubernetes side of a new cluster: a client CA, the masterclient certificate, a
/// static token and the namespaces default, kube-system, kube-public and kube-node-lease, each
/// with its "default" service account.
[[nodiscard]] KubeCluster new_kube_cluster(std::string const& cluster_id,
                                           std::string const& cluster_name,
                                           std::string const& resource_group);

/// The next resourceVersion of `cluster`, as Kubernetes writes it (a decimal string).
[[nodiscard]] std::string next_resource_version(KubeCluster& cluster);

/// A namespace object as the API server stores it, with uid, resourceVersion and timestamp.
[[nodiscard]] nlohmann::json new_namespace_object(KubeCluster& cluster, nlohmann::json metadata);

/// A Pod object with server-set metadata filled in (uid, resourceVersion, creationTimestamp unless
/// the object has one) and defaults: spec.serviceAccountName "default", one container, phase
/// Running. `object` is the client's body or the seed's entry.
[[nodiscard]] nlohmann::json
new_pod_object(KubeCluster& cluster, nlohmann::json object, std::string const& namespace_name);

/// A ServiceAccount object with server-set metadata filled in; `object` is the client's body.
[[nodiscard]] nlohmann::json new_service_account_object(KubeCluster& cluster,
                                                        nlohmann::json object,
                                                        std::string const& namespace_name);

} // namespace wisetup::sim
