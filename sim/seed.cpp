#include "sim/seed.hpp"

#include "sim/api_versions.hpp"
#include "sim/arm_call.hpp"
#include "sim/cluster_operations.hpp"
#include "sim/encoding.hpp"
#include "sim/hosted_issuers.hpp"
#include "sim/key_vault_data_plane.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

#include <regex>

namespace wisetup::sim {
namespace {

[[noreturn]] void fail(std::string const& where, std::string const& problem) {
  throw SeedError("seed: " + where + " " + problem);
}

std::string
required_string(nlohmann::json const& object, char const* field, std::string const& where) {
  auto const found = object.find(field);
  if (found == object.end() || !found->is_string() || found->get<std::string>().empty()) {
    fail(where + "." + field, "is required and must be a non-empty string");
  }
  return found->get<std::string>();
}

std::string
required_guid(nlohmann::json const& object, char const* field, std::string const& where) {
  std::string value = required_string(object, field, where);
  if (!is_guid(value)) {
    fail(where + "." + field, "must be a GUID (8-4-4-4-12 hex digits), not \"" + value + "\"");
  }
  return value;
}

// Arrays and id-keyed objects are both accepted, so that GET /_sim/state can be PUT back.
std::vector<nlohmann::json> items_of(nlohmann::json const& seed, char const* field) {
  std::vector<nlohmann::json> items;
  auto const found = seed.find(field);
  if (found == seed.end() || found->is_null()) {
    return items;
  }
  if (!found->is_array() && !found->is_object()) {
    fail(field, "must be an array (or an object keyed by id)");
  }
  for (auto const& item : *found) {
    if (!item.is_object() && !item.is_string()) {
      fail(field, "must hold objects");
    }
    items.push_back(item);
  }
  return items;
}

std::vector<std::string>
string_list(nlohmann::json const& object, char const* field, std::string const& where) {
  std::vector<std::string> values;
  auto const found = object.find(field);
  if (found == object.end() || found->is_null()) {
    return values;
  }
  if (!found->is_array()) {
    fail(where + "." + field, "must be an array of strings");
  }
  for (auto const& value : *found) {
    if (!value.is_string()) {
      fail(where + "." + field, "must be an array of strings");
    }
    values.push_back(value.get<std::string>());
  }
  return values;
}

bool optional_bool(nlohmann::json const& object, char const* field, std::string const& where) {
  auto const found = object.find(field);
  if (found == object.end() || found->is_null()) {
    return false;
  }
  if (!found->is_boolean()) {
    fail(where + "." + field, "must be true or false");
  }
  return found->get<bool>();
}

// The PEM certificates a service principal registered.
std::vector<std::shared_ptr<PublicCertificate const>> load_certificates(nlohmann::json const& item,
                                                                        std::string const& where) {
  std::vector<std::shared_ptr<PublicCertificate const>> certificates;
  std::size_t index = 0;
  for (auto const& pem : string_list(item, "certificates", where)) {
    std::string const field = where + ".certificates[" + std::to_string(index++) + "]";
    try {
      certificates.push_back(std::make_shared<PublicCertificate const>(pem));
    } catch (std::invalid_argument const& error) {
      fail(field, error.what());
    }
  }
  return certificates;
}

// Federated credentials of an app registration; issuers are resolved once resources are loaded.
std::vector<FederatedCredential> load_federated_credentials(nlohmann::json const& item,
                                                            std::string const& where) {
  std::vector<FederatedCredential> credentials;
  auto const found = item.find("federatedCredentials");
  if (found == item.end() || found->is_null()) {
    return credentials;
  }
  if (!found->is_array()) {
    fail(where + ".federatedCredentials", "must be an array of {name, issuer, subject, audiences}");
  }
  std::size_t index = 0;
  for (auto const& entry : *found) {
    std::string const field = where + ".federatedCredentials[" + std::to_string(index++) + "]";
    if (!entry.is_object()) {
      fail(field, "must be an object {name, issuer, subject, audiences}");
    }
    FederatedCredential credential;
    credential.name = entry.value("name", "credential-" + std::to_string(index));
    credential.issuer = required_string(entry, "issuer", field);
    credential.subject = required_string(entry, "subject", field);
    credential.audiences = string_list(entry, "audiences", field);
    if (credential.audiences.empty()) {
      fail(field + ".audiences",
           "must list at least one audience (e.g. api://AzureADTokenExchange)");
    }
    credentials.push_back(std::move(credential));
  }
  return credentials;
}

void load_principals(nlohmann::json const& seed, State& state) {
  std::size_t index = 0;
  for (auto const& item : items_of(seed, "servicePrincipals")) {
    std::string const where = "servicePrincipals[" + std::to_string(index++) + "]";
    ServicePrincipal principal;
    principal.client_id = required_string(item, "clientId", where);
    principal.object_id = required_guid(item, "objectId", where);
    principal.client_secret = item.value("clientSecret", "");
    principal.display_name = item.value("displayName", principal.client_id);
    principal.reader_only = optional_bool(item, "readerOnly", where);
    principal.denied_actions = string_list(item, "deniedActions", where);
    principal.allowed_actions = string_list(item, "allowedActions", where);
    principal.certificates = load_certificates(item, where);
    principal.federated_credentials = load_federated_credentials(item, where);
    state.service_principals.push_back(std::move(principal));
  }
  index = 0;
  for (auto const& item : items_of(seed, "directoryObjects")) {
    std::string const where = "directoryObjects[" + std::to_string(index++) + "]";
    std::string const object_id = required_guid(item, "objectId", where);
    state.directory_objects[to_lower(object_id)] = item.value("principalType", "User");
  }
  index = 0;
  for (auto const& item : items_of(seed, "users")) {
    std::string const where = "users[" + std::to_string(index++) + "]";
    User user;
    user.object_id = required_guid(item, "objectId", where);
    user.user_principal_name = required_string(item, "userPrincipalName", where);
    user.display_name = item.value("displayName", user.user_principal_name);
    user.reader_only = optional_bool(item, "readerOnly", where);
    user.denied_actions = string_list(item, "deniedActions", where);
    state.users.push_back(std::move(user));
  }
  index = 0;
  for (auto const& item : items_of(seed, "publicClients")) {
    std::string const where = "publicClients[" + std::to_string(index++) + "]";
    PublicClient client;
    client.client_id = required_guid(item, "clientId", where);
    client.display_name = item.value("displayName", client.client_id);
    state.public_clients.push_back(std::move(client));
  }
}

std::string resolve_seed_issuer(State const& state,
                                std::string const& base_url,
                                std::string const& issuer,
                                std::string const& where) {
  try {
    return resolve_issuer(state, base_url, issuer);
  } catch (std::invalid_argument const& error) {
    fail(where, std::string("names an issuer the simulator cannot resolve: ") + error.what());
  }
}

// "cluster:<name>" and "github" in federated credentials become issuer URLs.
void resolve_issuers(State& state, std::string const& base_url) {
  for (auto& principal : state.service_principals) {
    for (auto& credential : principal.federated_credentials) {
      credential.issuer =
          resolve_seed_issuer(state,
                              base_url,
                              credential.issuer,
                              "servicePrincipals " + principal.client_id +
                                  " federatedCredentials " + credential.name + ".issuer");
    }
  }
  for (auto& [key, resource] : state.resources) {
    if (key.find("/federatedidentitycredentials/") == std::string::npos) {
      continue;
    }
    auto& issuer = resource["properties"]["issuer"];
    issuer = resolve_seed_issuer(
        state, base_url, issuer.get<std::string>(), "resource " + key + ".properties.issuer");
  }
}

ArmAccess load_access(nlohmann::json const& item, std::string const& where) {
  if (!item.is_object()) {
    fail(where, "must be an object {readerOnly, deniedActions}");
  }
  return {optional_bool(item, "readerOnly", where), string_list(item, "deniedActions", where)};
}

void load_managed_identities(nlohmann::json const& seed, State& state) {
  if (auto const host = seed.find("managedIdentityHost"); host != seed.end() && !host->is_null()) {
    if (!host->is_object()) {
      fail("managedIdentityHost", "must be an object {systemAssigned, userAssigned}");
    }
    if (auto const system = host->find("systemAssigned");
        system != host->end() && !system->is_null()) {
      std::string const where = "managedIdentityHost.systemAssigned";
      if (!system->is_object()) {
        fail(where,
             "must be an object {clientId, objectId, displayName, readerOnly, deniedActions}");
      }
      ServicePrincipal identity;
      identity.client_id = required_guid(*system, "clientId", where);
      identity.object_id = required_guid(*system, "objectId", where);
      identity.display_name = system->value("displayName", "system-assigned identity");
      identity.reader_only = optional_bool(*system, "readerOnly", where);
      identity.denied_actions = string_list(*system, "deniedActions", where);
      state.managed_identity_host.system_assigned = std::move(identity);
    }
    for (auto const& reference : string_list(*host, "userAssigned", "managedIdentityHost")) {
      if (!state.identity_by("clientId", reference) && !state.identity_by("id", reference)) {
        fail("managedIdentityHost.userAssigned",
             "names \"" + reference +
                 "\", which is neither the clientId nor the id of a seeded user-assigned identity");
      }
      state.managed_identity_host.user_assigned.push_back(reference);
    }
  }
  if (auto const access = seed.find("managedIdentityAccess");
      access != seed.end() && !access->is_null()) {
    if (!access->is_object()) {
      fail("managedIdentityAccess", "must be an object keyed by identity principal id or \"*\"");
    }
    for (auto const& [principal, item] : access->items()) {
      std::string const where = "managedIdentityAccess[\"" + principal + "\"]";
      if (principal != "*" && !is_guid(principal)) {
        fail(where, "must be keyed by a principal id (GUID) or \"*\"");
      }
      state.identity_access[to_lower(principal)] = load_access(item, where);
    }
  }
}

void load_github(nlohmann::json const& seed, State& state) {
  state.github_subject = "repo:contoso/app:ref:refs/heads/main";
  auto const github = seed.find("github");
  if (github == seed.end() || github->is_null()) {
    return;
  }
  if (!github->is_object()) {
    fail("github", "must be an object {subject}");
  }
  if (github->contains("subject")) {
    state.github_subject = required_string(*github, "subject", "github");
  }
}

void load_subscriptions(nlohmann::json const& seed, State& state) {
  std::size_t index = 0;
  for (auto const& item : items_of(seed, "subscriptions")) {
    std::string const where = "subscriptions[" + std::to_string(index++) + "]";
    Subscription subscription;
    subscription.id = required_guid(item, "subscriptionId", where);
    subscription.display_name = item.value("displayName", "Simulated subscription");
    std::size_t group_index = 0;
    for (auto const& group_item : items_of(item, "resourceGroups")) {
      std::string const group_where =
          where + ".resourceGroups[" + std::to_string(group_index++) + "]";
      ResourceGroup group;
      group.name = required_string(group_item, "name", group_where);
      group.location = normalize_location(required_string(group_item, "location", group_where));
      group.tags = group_item.value("tags", nlohmann::json::object());
      subscription.resource_groups[to_lower(group.name)] = std::move(group);
    }
    state.subscriptions[to_lower(subscription.id)] = std::move(subscription);
  }
  if (state.subscriptions.empty()) {
    fail("subscriptions", "must list at least one subscription");
  }
}

void default_member(nlohmann::json& object, char const* field, nlohmann::json value) {
  if (!object.contains(field) || object[field].is_null()) {
    object[field] = std::move(value);
  }
}

void load_cluster(nlohmann::json& resource,
                  std::string const& key,
                  std::string const& subscription_id,
                  std::string const& group,
                  std::string const& base_url,
                  Seconds default_busy,
                  State& state) {
  std::string const where = "resource " + resource.value("id", "");
  std::string const name = resource["name"];
  std::string const location = resource["location"];
  default_member(resource, "eTag", new_guid());
  default_member(resource, "sku", {{"name", "Base"}, {"tier", "Free"}});
  auto& properties = resource["properties"];
  default_member(properties, "kubernetesVersion", "1.29.9");
  default_member(properties, "currentKubernetesVersion", properties["kubernetesVersion"]);
  default_member(properties, "dnsPrefix", name + "-dns");
  default_member(properties,
                 "fqdn",
                 properties["dnsPrefix"].get<std::string>() + "-" + random_hex(4) + ".hcp." +
                     location + ".azmk8s.io");
  default_member(properties, "nodeResourceGroup", "MC_" + group + "_" + name + "_" + location);
  default_member(properties, "maxAgentPools", 100);
  default_member(properties, "powerState", {{"code", "Running"}});
  default_member(properties, "oidcIssuerProfile", {{"enabled", false}});
  default_member(properties, "securityProfile", nlohmann::json::object());
  // AKS shows {"clientId": "msi"} for clusters with a managed identity (az aks show needs it).
  default_member(properties, "servicePrincipalProfile", {{"clientId", "msi"}});
  auto& oidc = properties["oidcIssuerProfile"];
  if (oidc.value("enabled", false) == true && oidc.value("issuerURL", "").empty()) {
    oidc["issuerURL"] = new_issuer_url(base_url, state.tenant_id);
  }

  std::optional<double> busy_seconds;
  if (auto const busy = resource.find("sim:busySeconds"); busy != resource.end()) {
    if (!busy->is_number() || busy->get<double>() < 0) {
      fail(where + ".sim:busySeconds", "must be a non-negative number of seconds");
    }
    busy_seconds = busy->get<double>();
  }
  if (busy_seconds) {
    properties["provisioningState"] = "Updating"; // as ARM shows a cluster with a running operation
  }
  default_member(properties, "provisioningState", "Succeeded");
  std::string const provisioning_state = properties["provisioningState"];
  bool const terminal = provisioning_state == "Succeeded" || provisioning_state == "Failed" ||
                        provisioning_state == "Canceled";
  if (busy_seconds || !terminal) {
    ClusterOperation& operation =
        start_cluster_operation(state,
                                key,
                                subscription_id,
                                location,
                                busy_seconds ? Seconds{*busy_seconds} : default_busy);
    if (auto const error = resource.find("sim:operationError"); error != resource.end()) {
      if (!error->is_object() || !error->contains("code") || !error->contains("message")) {
        fail(where + ".sim:operationError", "must be an object with code and message");
      }
      operation.planned_error = *error;
    }
  }
  resource.erase("sim:busySeconds");
  resource.erase("sim:operationError");
  state.kubernetes.emplace(key, new_kube_cluster(resource["id"], name, group));
}

// A vault's "sim:secrets": {"name": "value"} or {"name": {"value", "contentType"}}.
void load_secrets(nlohmann::json& vault,
                  std::string const& key,
                  std::string const& where,
                  State& state) {
  auto const found = vault.find("sim:secrets");
  if (found == vault.end()) {
    return;
  }
  if (!found->is_object()) {
    fail(where + ".sim:secrets", "must be an object of secret name -> value");
  }
  auto& secrets = state.vault_secrets[key];
  for (auto const& [name, entry] : found->items()) {
    static std::regex const k_name{"^[0-9a-zA-Z-]{1,127}$"};
    if (!std::regex_match(name, k_name)) {
      fail(where + ".sim:secrets", "has the invalid secret name \"" + name + "\"");
    }
    VaultSecret secret;
    if (entry.is_string()) {
      secret.value = entry.get<std::string>();
    } else if (entry.is_object() && entry.contains("value") && entry["value"].is_string()) {
      secret.value = entry["value"].get<std::string>();
      secret.content_type = entry.value("contentType", "");
    } else {
      fail(where + ".sim:secrets." + name, "must be a string or {\"value\", \"contentType\"}");
    }
    secret.version = random_hex(16);
    secret.created = unix_seconds(std::chrono::system_clock::now());
    secrets[to_lower(name)] = std::move(secret);
  }
  vault.erase("sim:secrets");
}

void load_resources(nlohmann::json const& seed,
                    std::string const& base_url,
                    Seconds default_busy,
                    State& state) {
  static std::regex const k_id{
      R"(^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/([^/]+)/([^/]+)/([^/]+)(/([^/]+)/([^/]+))?$)",
      std::regex::icase};
  std::vector<nlohmann::json> credentials;
  for (auto resource : items_of(seed, "resources")) {
    std::string const id = required_string(resource, "id", "resources[]");
    std::string const where = "resource " + id;
    std::smatch match;
    if (!std::regex_match(id, match, k_id)) {
      fail(where, "has an id that is not /subscriptions/{s}/resourceGroups/{g}/providers/...");
    }
    Subscription* subscription = state.subscription(match[1].str());
    if (subscription == nullptr) {
      fail(where, "is in subscription " + match[1].str() + ", which the seed does not list");
    }
    auto const group = subscription->resource_groups.find(to_lower(match[2].str()));
    if (group == subscription->resource_groups.end()) {
      fail(where, "is in resource group " + match[2].str() + ", which the seed does not list");
    }
    std::string const type = to_lower(match[3].str() + "/" + match[4].str());
    std::string const child = to_lower(match[7].str());
    std::string const name = match[8].matched ? match[8].str() : match[5].str();
    resource["name"] = resource.value("name", name);
    if (!resource.contains("properties") || !resource["properties"].is_object()) {
      resource["properties"] = nlohmann::json::object();
    }
    std::string const key = to_lower(id);
    if (type == "microsoft.managedidentity/userassignedidentities" &&
        child == "federatedidentitycredentials") {
      resource["type"] = "Microsoft.ManagedIdentity/userAssignedIdentities/"
                         "federatedIdentityCredentials";
      credentials.push_back(std::move(resource));
      continue;
    }
    if (!child.empty()) {
      fail(where, "is a child resource the simulator does not know");
    }
    resource["location"] = normalize_location(resource.value("location", group->second.location));
    if (type == "microsoft.containerservice/managedclusters") {
      resource["type"] = "Microsoft.ContainerService/ManagedClusters";
      load_cluster(
          resource, key, subscription->id, group->second.name, base_url, default_busy, state);
    } else if (type == "microsoft.managedidentity/userassignedidentities") {
      resource["type"] = "Microsoft.ManagedIdentity/userAssignedIdentities";
      default_member(resource, "tags", nlohmann::json::object());
      auto& properties = resource["properties"];
      default_member(properties, "tenantId", state.tenant_id);
      default_member(properties, "principalId", new_guid());
      default_member(properties, "clientId", new_guid());
      state.directory_objects[to_lower(properties["principalId"].get<std::string>())] =
          "ServicePrincipal";
    } else if (type == "microsoft.keyvault/vaults") {
      resource["type"] = "Microsoft.KeyVault/vaults";
      default_member(resource, "tags", nlohmann::json::object());
      auto& properties = resource["properties"];
      default_member(properties, "tenantId", state.tenant_id);
      default_member(properties, "sku", {{"family", "A"}, {"name", "standard"}});
      default_member(properties, "accessPolicies", nlohmann::json::array());
      default_member(properties, "enableRbacAuthorization", false);
      // The data plane is the simulator's, whatever vaultUri the seed wrote.
      properties["vaultUri"] = key_vault_uri(base_url, resource["name"].get<std::string>());
      default_member(properties, "provisioningState", "Succeeded");
      if (!properties["accessPolicies"].is_array()) {
        fail(where + ".properties.accessPolicies", "must be an array");
      }
      load_secrets(resource, key, where, state);
    } else {
      fail(where,
           "has type " + match[3].str() + "/" + match[4].str() +
               ", which the simulator does not serve");
    }
    state.resources[key] = std::move(resource);
  }
  for (auto& credential : credentials) {
    std::string const id = credential["id"];
    std::string const key = to_lower(id);
    std::string const parent = key.substr(0, key.rfind("/federatedidentitycredentials/"));
    if (state.resources.count(parent) == 0) {
      fail("resource " + id, "is a federated credential of an identity the seed does not list");
    }
    auto const& properties = credential["properties"];
    for (char const* field : {"issuer", "subject"}) {
      required_string(properties, field, "resource " + id + ".properties");
    }
    if (!properties.contains("audiences") || !properties["audiences"].is_array()) {
      fail("resource " + id + ".properties.audiences", "must be an array");
    }
    state.resources[key] = std::move(credential);
  }
}

void load_role_assignments(nlohmann::json const& seed, State& state) {
  static std::regex const k_id{
      R"(^(/subscriptions/.+?)/providers/Microsoft\.Authorization/roleAssignments/([^/]+)$)",
      std::regex::icase};
  for (auto assignment : items_of(seed, "roleAssignments")) {
    std::string const id = required_string(assignment, "id", "roleAssignments[]");
    std::string const where = "role assignment " + id;
    std::smatch match;
    if (!std::regex_match(id, match, k_id) || !is_guid(match[2].str())) {
      fail(where, "needs an id {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}");
    }
    if (!assignment.contains("properties") || !assignment["properties"].is_object()) {
      fail(where, "needs properties");
    }
    auto& properties = assignment["properties"];
    required_string(properties, "roleDefinitionId", where + ".properties");
    std::string const principal = required_guid(properties, "principalId", where + ".properties");
    default_member(
        properties, "principalType", state.principal_type(principal).value_or("ServicePrincipal"));
    properties["scope"] = match[1].str();
    assignment["name"] = match[2].str();
    assignment["type"] = "Microsoft.Authorization/roleAssignments";
    state.role_assignments[to_lower(id)] = std::move(assignment);
  }
}

std::int64_t version_number(nlohmann::json const& object) {
  std::string const version = object["metadata"].value("resourceVersion", "");
  try {
    return version.empty() ? 0 : std::stoll(version);
  } catch (std::exception const&) {
    return 0;
  }
}

void load_kubernetes_rbac(nlohmann::json const& seed, State& state) {
  std::size_t index = 0;
  for (auto const& item : items_of(seed, "kubernetesRbac")) {
    std::string const where = "kubernetesRbac[" + std::to_string(index++) + "]";
    auto& rules = state.kubernetes_rules[to_lower(required_string(item, "user", where))];
    std::size_t rule_index = 0;
    for (auto const& rule : items_of(item, "rules")) {
      std::string const at = where + ".rules[" + std::to_string(rule_index++) + "]";
      rules.push_back({string_list(rule, "verbs", at),
                       string_list(rule, "resources", at),
                       string_list(rule, "namespaces", at)});
    }
  }
}

void load_kubernetes(nlohmann::json const& seed, State& state) {
  auto const found = seed.find("kubernetes");
  if (found == seed.end() || found->is_null()) {
    return;
  }
  if (!found->is_object()) {
    fail("kubernetes", "must be an object keyed by cluster id");
  }
  for (auto const& [cluster_id, objects] : found->items()) {
    std::string const where = "kubernetes[\"" + cluster_id + "\"]";
    auto cluster = state.kubernetes.find(to_lower(cluster_id));
    if (cluster == state.kubernetes.end()) {
      fail(where, "names a cluster the seed's resources do not list");
    }
    KubeCluster& kube = cluster->second;
    std::int64_t highest = kube.revision;
    for (auto const& item : items_of(objects, "namespaces")) {
      nlohmann::json object =
          item.is_string() ? nlohmann::json{{"metadata", {{"name", item}}}} : item;
      std::string const name = required_string(object.value("metadata", nlohmann::json::object()),
                                               "name",
                                               where + ".namespaces[].metadata");
      if (!object["metadata"].contains("uid")) {
        if (kube.namespaces.count(name) != 0) {
          continue; // every cluster starts with the standard namespaces
        }
        object = new_namespace_object(kube, object["metadata"]);
      }
      highest = std::max(highest, version_number(object));
      kube.namespaces[name] = object;
      std::string const default_account = name + "/default";
      if (kube.service_accounts.count(default_account) == 0) {
        kube.service_accounts[default_account] =
            new_service_account_object(kube, {{"metadata", {{"name", "default"}}}}, name);
      }
    }
    for (auto object : items_of(objects, "serviceAccounts")) {
      nlohmann::json const metadata = object.value("metadata", nlohmann::json::object());
      std::string const name =
          required_string(metadata, "name", where + ".serviceAccounts[].metadata");
      std::string const namespace_name =
          required_string(metadata, "namespace", where + ".serviceAccounts[].metadata");
      if (kube.namespaces.count(namespace_name) == 0) {
        fail(where + ".serviceAccounts " + namespace_name + "/" + name,
             "is in a namespace the seed does not list");
      }
      if (!metadata.contains("uid")) {
        object = new_service_account_object(kube, object, namespace_name);
      }
      highest = std::max(highest, version_number(object));
      kube.service_accounts[namespace_name + "/" + name] = object;
    }
    for (auto object : items_of(objects, "pods")) {
      nlohmann::json const metadata = object.value("metadata", nlohmann::json::object());
      std::string const name = required_string(metadata, "name", where + ".pods[].metadata");
      std::string const namespace_name =
          required_string(metadata, "namespace", where + ".pods[].metadata");
      if (kube.namespaces.count(namespace_name) == 0) {
        fail(where + ".pods " + namespace_name + "/" + name,
             "is in a namespace the seed does not list");
      }
      if (object.contains("spec") && !object["spec"].is_object()) {
        fail(where + ".pods " + namespace_name + "/" + name + ".spec", "must be an object");
      }
      if (!metadata.contains("uid")) {
        object = new_pod_object(kube, object, namespace_name);
      }
      highest = std::max(highest, version_number(object));
      kube.pods[namespace_name + "/" + name] = object;
    }
    kube.revision = std::max(kube.revision, highest);
  }
}

} // namespace

State state_from_seed(nlohmann::json const& seed,
                      std::string const& base_url,
                      Seconds default_busy) {
  if (!seed.is_object()) {
    throw SeedError("seed: the document must be a JSON object");
  }
  State state;
  state.tenant_id = required_guid(seed, "tenantId", "document");
  state.api_versions = default_api_versions();
  if (auto const versions = seed.find("apiVersions");
      versions != seed.end() && !versions->is_null()) {
    if (!versions->is_object()) {
      fail("apiVersions", "must be an object of resource family -> list of api-versions");
    }
    for (auto const& [family, list] : versions->items()) {
      state.api_versions[family] = string_list(*versions, family.c_str(), "apiVersions");
    }
  }
  load_principals(seed, state);
  load_subscriptions(seed, state);
  load_resources(seed, base_url, default_busy, state);
  resolve_issuers(state, base_url);
  load_managed_identities(seed, state);
  load_github(seed, state);
  load_role_assignments(seed, state);
  load_kubernetes(seed, state);
  load_kubernetes_rbac(seed, state);
  return state;
}

namespace {

nlohmann::json credentials_json(ServicePrincipal const& principal) {
  auto credentials = nlohmann::json::array();
  for (auto const& credential : principal.federated_credentials) {
    credentials.push_back({{"name", credential.name},
                           {"issuer", credential.issuer},
                           {"subject", credential.subject},
                           {"audiences", credential.audiences}});
  }
  return credentials;
}

} // namespace

nlohmann::json state_to_json(State const& state) {
  auto principals = nlohmann::json::array();
  for (auto const& principal : state.service_principals) {
    auto certificates = nlohmann::json::array();
    for (auto const& certificate : principal.certificates) {
      certificates.push_back(certificate->pem());
    }
    principals.push_back({{"displayName", principal.display_name},
                          {"clientId", principal.client_id},
                          {"objectId", principal.object_id},
                          {"readerOnly", principal.reader_only},
                          {"deniedActions", principal.denied_actions},
                          {"allowedActions", principal.allowed_actions},
                          {"certificates", std::move(certificates)},
                          {"federatedCredentials", credentials_json(principal)}});
  }
  auto users = nlohmann::json::array();
  for (auto const& user : state.users) {
    users.push_back({{"objectId", user.object_id},
                     {"userPrincipalName", user.user_principal_name},
                     {"displayName", user.display_name},
                     {"readerOnly", user.reader_only},
                     {"deniedActions", user.denied_actions}});
  }
  auto public_clients = nlohmann::json::array();
  for (auto const& client : state.public_clients) {
    public_clients.push_back(
        {{"clientId", client.client_id}, {"displayName", client.display_name}});
  }
  nlohmann::json host = {{"userAssigned", state.managed_identity_host.user_assigned}};
  if (auto const& system = state.managed_identity_host.system_assigned) {
    host["systemAssigned"] = {{"clientId", system->client_id},
                              {"objectId", system->object_id},
                              {"displayName", system->display_name},
                              {"readerOnly", system->reader_only},
                              {"deniedActions", system->denied_actions}};
  }
  auto access = nlohmann::json::object();
  for (auto const& [principal, rights] : state.identity_access) {
    access[principal] = {{"readerOnly", rights.reader_only},
                         {"deniedActions", rights.denied_actions}};
  }
  auto directory = nlohmann::json::array();
  for (auto const& [object_id, type] : state.directory_objects) {
    directory.push_back({{"objectId", object_id}, {"principalType", type}});
  }
  auto subscriptions = nlohmann::json::array();
  for (auto const& [key, subscription] : state.subscriptions) {
    auto groups = nlohmann::json::array();
    for (auto const& [group_key, group] : subscription.resource_groups) {
      groups.push_back({{"name", group.name}, {"location", group.location}, {"tags", group.tags}});
    }
    subscriptions.push_back({{"subscriptionId", subscription.id},
                             {"displayName", subscription.display_name},
                             {"resourceGroups", std::move(groups)}});
  }
  auto resources = nlohmann::json::object();
  for (auto const& [key, resource] : state.resources) {
    nlohmann::json& out = resources[resource.value("id", key)] = resource;
    if (auto const secrets = state.vault_secrets.find(key); secrets != state.vault_secrets.end()) {
      auto& listed = out["sim:secrets"] = nlohmann::json::object();
      for (auto const& [name, secret] : secrets->second) {
        listed[name] = {{"value", secret.value}, {"contentType", secret.content_type}};
      }
    }
  }
  auto assignments = nlohmann::json::object();
  for (auto const& [key, assignment] : state.role_assignments) {
    assignments[assignment.value("id", key)] = assignment;
  }
  auto operations = nlohmann::json::object();
  for (auto const& [key, operation] : state.operations) {
    auto const cluster = state.resources.find(operation.cluster_key);
    nlohmann::json entry = {{"name", operation.name},
                            {"clusterId",
                             cluster != state.resources.end()
                                 ? cluster->second.value("id", operation.cluster_key)
                                 : operation.cluster_key},
                            {"status", operation.status},
                            {"startTime", utc_precise(operation.started_at)}};
    if (operation.ended_at) {
      entry["endTime"] = utc_precise(*operation.ended_at);
    }
    if (!operation.error.is_null()) {
      entry["error"] = operation.error;
    }
    operations[operation.name] = std::move(entry);
  }
  auto kubernetes = nlohmann::json::object();
  for (auto const& [key, cluster] : state.kubernetes) {
    kubernetes[cluster.cluster_id] = {{"namespaces", cluster.namespaces},
                                      {"serviceAccounts", cluster.service_accounts},
                                      {"pods", cluster.pods}};
  }
  auto kubernetes_rbac = nlohmann::json::array();
  for (auto const& [user, rules] : state.kubernetes_rules) {
    auto listed = nlohmann::json::array();
    for (auto const& rule : rules) {
      listed.push_back(
          {{"verbs", rule.verbs}, {"resources", rule.resources}, {"namespaces", rule.namespaces}});
    }
    kubernetes_rbac.push_back({{"user", user}, {"rules", std::move(listed)}});
  }
  return {{"tenantId", state.tenant_id},
          {"servicePrincipals", std::move(principals)},
          {"users", std::move(users)},
          {"publicClients", std::move(public_clients)},
          {"managedIdentityHost", std::move(host)},
          {"managedIdentityAccess", std::move(access)},
          {"github", {{"subject", state.github_subject}}},
          {"directoryObjects", std::move(directory)},
          {"subscriptions", std::move(subscriptions)},
          {"resources", std::move(resources)},
          {"roleAssignments", std::move(assignments)},
          {"operations", std::move(operations)},
          {"kubernetes", std::move(kubernetes)},
          {"kubernetesRbac", std::move(kubernetes_rbac)},
          {"apiVersions", state.api_versions}};
}

} // namespace wisetup::sim
