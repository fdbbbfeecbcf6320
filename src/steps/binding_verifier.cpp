// Reads only: GET managedCluster, OIDC discovery and JWKS, GET identity and its credentials,
// the service account and its pods, GET vault (and role assignments); with an exchange, POST a
// TokenRequest, the Entra token endpoint and a Key Vault secret GET.
#include <wisetup/azure/key_vault_data_client.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/identity/federated_token_exchange.hpp>
#include <wisetup/identity/oidc_discovery.hpp>
#include <wisetup/steps/binding_verifier.hpp>
#include <wisetup/steps/cluster_connection.hpp>
#include <wisetup/steps/service_account_step.hpp>
#include <wisetup/steps/vault_roles.hpp>

#include <algorithm>

namespace wisetup::steps {
namespace {

constexpr std::string_view k_use_label = "azure.workload.identity/use";
constexpr std::chrono::seconds k_token_lifetime{3600};
// A new or changed credential, or a new identity, takes a few seconds to be honoured.
constexpr int k_exchange_attempts = 3;
constexpr std::chrono::seconds k_exchange_retry_delay{2};

std::string on_off(bool on) {
  return on ? "on" : "off";
}

bool has(std::vector<std::string> const& values, std::string const& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string string_at(nlohmann::json const& object, char const* key) {
  auto const found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

std::string annotation(nlohmann::json const& account, std::string_view key) {
  auto const metadata = account.value("metadata", nlohmann::json::object());
  auto const annotations = metadata.value("annotations", nlohmann::json::object());
  return annotations.is_object() ? string_at(annotations, std::string(key).c_str()) : "";
}

/// Whether a pod was admitted with the webhook's token file (so after the binding, labelled).
bool has_federated_token_env(nlohmann::json const& pod) {
  auto const spec = pod.value("spec", nlohmann::json::object());
  for (auto const& container : spec.value("containers", nlohmann::json::array())) {
    for (auto const& variable : container.value("env", nlohmann::json::array())) {
      if (variable.value("name", "") == "AZURE_FEDERATED_TOKEN_FILE") {
        return true;
      }
    }
  }
  return false;
}

std::string exchange_fix(std::string const& code) {
  auto const number = code.rfind("AADSTS", 0) == 0 ? code.substr(6) : code;
  if (number == "700211") {
    return "the credential's issuer is not the cluster's: run `wi-setup enable --repair-issuer`";
  }
  if (number == "700212" || number == "700213" || number == "70021") {
    return "run `wi-setup enable`: it puts back the credential's issuer, subject and audience";
  }
  if (number == "700016") {
    return "a new identity takes a minute to replicate: verify again shortly; otherwise check "
           "--identity";
  }
  if (number == "700024") {
    return "the service account token is outside its validity: check the clocks of this "
           "machine and the cluster";
  }
  return "check the identity's federated credentials with `az identity federated-credential list`";
}

} // namespace

std::string_view to_string(CheckStatus status) {
  switch (status) {
  case CheckStatus::Ok:
    return "ok";
  case CheckStatus::Broken:
    return "broken";
  case CheckStatus::Warning:
    return "warning";
  }
  return "broken";
}

BindingVerifier::BindingVerifier(Services const& services, VerifyConnections connections)
    : m_services(services), m_connections(std::move(connections)) {}

std::vector<Check> BindingVerifier::verify(VerifyTarget const& target, bool exchange) const {
  std::vector<Check> checks;
  auto add = [&](std::string name, CheckStatus status, std::string detail, std::string fix = {}) {
    checks.push_back({std::move(name), status, std::move(detail), std::move(fix)});
  };
  auto const enable = std::string("run `wi-setup enable` with the same flags: it puts it back");
  auto const subject =
      "system:serviceaccount:" + target.kube_namespace + ":" + target.service_account;

  // The cluster's features and state.
  auto const cluster = m_services.clusters.get(target.cluster);
  std::string issuer;
  if (!cluster.oidc_issuer_enabled || !cluster.workload_identity_enabled) {
    add("cluster",
        CheckStatus::Broken,
        "OIDC issuer " + on_off(cluster.oidc_issuer_enabled) + ", workload identity " +
            on_off(cluster.workload_identity_enabled),
        "run `wi-setup enable`: it turns both on");
  } else if (core::equals_ignoring_case(cluster.provisioning_state, "Failed")) {
    add("cluster",
        CheckStatus::Broken,
        "the cluster's last operation failed (provisioningState Failed)",
        "see `az aks show` for the error, then `az aks update` or re-run `wi-setup enable`");
  } else if (cluster.busy()) {
    add("cluster",
        CheckStatus::Broken,
        "an operation is running (provisioningState " + cluster.provisioning_state + ")",
        "wait for it to end, then verify again");
  } else {
    add("cluster", CheckStatus::Ok, "OIDC issuer and workload identity on");
  }
  if (cluster.oidc_issuer_enabled) {
    issuer = cluster.issuer_url;
  }

  // The issuer's discovery document: Entra reads it to check the tokens' signatures.
  if (!issuer.empty()) {
    try {
      auto const discovery = identity::fetch_oidc_discovery(*m_connections.anonymous, issuer);
      if (discovery.issuer != issuer) {
        add("issuer",
            CheckStatus::Broken,
            "the discovery document names issuer \"" + discovery.issuer +
                "\", but the cluster's issuer URL is \"" + issuer + "\"",
            "the two must match character for character; re-run `wi-setup enable` and check "
            "the cluster's issuer");
      } else if (discovery.key_count == 0) {
        add("issuer",
            CheckStatus::Broken,
            "the JWKS at " + discovery.jwks_uri + " has no key",
            "wait for the cluster's issuer to publish its keys, then verify again");
      } else {
        add("issuer",
            CheckStatus::Ok,
            issuer + " publishes its discovery document and " +
                std::to_string(discovery.key_count) + " key(s)");
      }
    } catch (core::Error const& error) {
      add("issuer",
          CheckStatus::Broken,
          std::string("the issuer's discovery document cannot be read: ") + error.what(),
          "Entra must be able to read it too: check that the cluster's issuer is reachable");
    }
  }

  // The identity.
  auto const identity = m_services.identities.get(target.identity);
  if (!identity) {
    add("identity",
        CheckStatus::Broken,
        "identity " + target.identity.name + " does not exist in resource group " +
            target.identity.resource_group,
        "run `wi-setup enable`: it creates it");
  } else {
    add("identity", CheckStatus::Ok, target.identity.name + ", client id " + identity->client_id);
  }

  // The federated credential.
  if (identity) {
    auto const credentials = m_services.identities.list_federated_credentials(target.identity);
    auto const matching = std::find_if(credentials.begin(), credentials.end(), [&](auto const& c) {
      return c.issuer == issuer && c.subject == subject && has(c.audiences, target.audience);
    });
    auto const ours_by_subject = std::find_if(credentials.begin(),
                                              credentials.end(),
                                              [&](auto const& c) { return c.subject == subject; });
    auto const named = std::find_if(credentials.begin(), credentials.end(), [&](auto const& c) {
      return c.name == target.federated_credential;
    });
    if (matching != credentials.end()) {
      add("federated-credential",
          CheckStatus::Ok,
          matching->name + " federates " + subject + " from the cluster's issuer");
    } else if (ours_by_subject != credentials.end() && !issuer.empty() &&
               ours_by_subject->issuer != issuer) {
      add("federated-credential",
          CheckStatus::Broken,
          "credential " + ours_by_subject->name + " has issuer \"" + ours_by_subject->issuer +
              "\", but the cluster's issuer is \"" + issuer + "\" (was the cluster recreated?)",
          "run `wi-setup enable --repair-issuer` to re-point it at the cluster's issuer");
    } else if (ours_by_subject != credentials.end()) {
      add("federated-credential",
          CheckStatus::Broken,
          "credential " + ours_by_subject->name + " has audience " +
              core::join(ours_by_subject->audiences, ", ") + ", not " + target.audience,
          enable);
    } else if (named != credentials.end()) {
      add("federated-credential",
          CheckStatus::Broken,
          "credential " + named->name + " federates subject \"" + named->subject + "\", not \"" +
              subject + "\"",
          "run `wi-setup enable` with --federated-credential naming a credential for " + subject +
              ", or fix that credential's subject if it is ours");
    } else {
      add("federated-credential",
          CheckStatus::Broken,
          "no federated credential of " + target.identity.name + " federates " + subject,
          "run `wi-setup enable`: it creates it");
    }
  }

  // The service account, its annotation and its pods.
  auto const kube = connect_to_cluster(m_services, target.cluster);
  auto const where = target.kube_namespace + "/" + target.service_account;
  auto const account = kube->get_service_account(target.kube_namespace, target.service_account);
  if (!account) {
    add("service-account", CheckStatus::Broken, where + " does not exist", enable);
  } else {
    auto const client_id = annotation(*account, ServiceAccountStep::k_client_id_annotation);
    if (client_id.empty()) {
      add("service-account",
          CheckStatus::Broken,
          where + " has no " + std::string(ServiceAccountStep::k_client_id_annotation) +
              " annotation",
          enable);
    } else if (identity && client_id != identity->client_id) {
      add("service-account",
          CheckStatus::Broken,
          where + " is annotated with client id " + client_id + ", but identity " +
              target.identity.name + " has client id " + identity->client_id,
          "its pods act as the other identity: annotate it with " + identity->client_id +
              " if that one is no longer used");
    } else {
      add("service-account", CheckStatus::Ok, where + " annotated with client id " + client_id);
    }
  }

  // The vault grants.
  if (target.key_vault && identity) {
    auto const vault = m_services.key_vaults.get(*target.key_vault);
    if (!vault) {
      add("keyvault-access",
          CheckStatus::Broken,
          "Key Vault " + target.key_vault->name + " does not exist",
          "check --keyvault and --keyvault-resource-group");
    } else if (vault->rbac_authorization) {
      auto const assignments =
          m_services.role_assignments.list_for_principal(vault->id, identity->principal_id);
      std::vector<std::string> missing;
      for (auto const& role : roles_for(target.permissions)) {
        bool const assigned = std::any_of(assignments.begin(), assignments.end(), [&](auto& a) {
          return assigns(a, role) && covers_vault(a.scope, vault->id);
        });
        if (!assigned) {
          missing.emplace_back(role.name);
        }
      }
      if (missing.empty()) {
        add("keyvault-access", CheckStatus::Ok, "RBAC vault: the identity's roles are assigned");
      } else {
        add("keyvault-access",
            CheckStatus::Broken,
            "RBAC vault: role(s) not assigned to the identity: " + core::join(missing, ", "),
            enable);
      }
    } else {
      azure::VaultPermissions held;
      for (auto const& policy : vault->access_policies) {
        if (core::equals_ignoring_case(policy.object_id, identity->principal_id)) {
          auto add_all = [](auto& into, auto const& from) {
            into.insert(into.end(), from.begin(), from.end());
          };
          add_all(held.keys, policy.permissions.keys);
          add_all(held.secrets, policy.permissions.secrets);
          add_all(held.certificates, policy.permissions.certificates);
        }
      }
      std::vector<std::string> missing;
      auto check = [&](std::string_view kind, auto const& wanted, auto const& granted) {
        for (auto const& permission : wanted) {
          if (std::none_of(granted.begin(), granted.end(), [&](auto const& g) {
                return core::equals_ignoring_case(g, permission);
              })) {
            missing.push_back(std::string(kind) + " " + permission);
          }
        }
      };
      check("keys", target.permissions.keys, held.keys);
      check("secrets", target.permissions.secrets, held.secrets);
      check("certificates", target.permissions.certificates, held.certificates);
      if (missing.empty()) {
        add("keyvault-access", CheckStatus::Ok, "access policy grants what enable grants");
      } else {
        add("keyvault-access",
            CheckStatus::Broken,
            "the identity's access policy lacks " + core::join(missing, ", "),
            enable);
      }
    }
  }

  if (account) {
    auto const pods = kube->list_pods(target.kube_namespace, target.service_account);
    std::vector<std::string> unlabelled;
    std::vector<std::string> stale;
    for (auto const& pod : pods) {
      auto const metadata = pod.value("metadata", nlohmann::json::object());
      auto const name = metadata.value("name", "");
      auto const labels = metadata.value("labels", nlohmann::json::object());
      if (!labels.is_object() || string_at(labels, std::string(k_use_label).c_str()) != "true") {
        unlabelled.push_back(name);
      } else if (!has_federated_token_env(pod)) {
        stale.push_back(name);
      }
    }
    if (!unlabelled.empty()) {
      add("pods",
          CheckStatus::Warning,
          "pod(s) without the label " + std::string(k_use_label) +
              ": \"true\": " + core::join(unlabelled, ", "),
          "add the label to the pod template (not the pod): the webhook injects the token only "
          "into pods created with it");
    }
    if (!stale.empty()) {
      add("pods",
          CheckStatus::Warning,
          "pod(s) started before the binding existed (no AZURE_FEDERATED_TOKEN_FILE): " +
              core::join(stale, ", "),
          "restart them, e.g. `kubectl rollout restart deployment/NAME -n " +
              target.kube_namespace + "`");
    }
    if (unlabelled.empty() && stale.empty()) {
      add("pods",
          CheckStatus::Ok,
          pods.empty() ? "no pod runs as " + where + " yet"
                       : std::to_string(pods.size()) + " pod(s) labelled and injected");
    }
  }

  if (!exchange || !identity || !account) {
    return checks;
  }
  // As the workload: a service account token, exchanged at Entra, used on the vault.
  auto const assertion = kube->create_token(
      target.kube_namespace, target.service_account, target.audience, k_token_lifetime);
  auto const vault_audience = core::key_vault_audience(m_connections.cloud);
  identity::ExchangeResult result;
  for (int attempt = 1; attempt <= k_exchange_attempts; ++attempt) {
    // The connections' clock also paces the token endpoint's own retries (429, 5xx).
    result = identity::exchange_federated_token(m_connections.transport,
                                                m_connections.cloud,
                                                identity->tenant_id,
                                                identity->client_id,
                                                assertion,
                                                vault_audience + "/.default",
                                                identity::ExchangeOptions{m_connections.clock, {}});
    bool const replicating = result.error_code == "AADSTS70021" ||
                             result.error_code == "AADSTS700016" ||
                             result.error_code == "AADSTS700213";
    if (result.ok || !replicating || attempt == k_exchange_attempts) {
      break;
    }
    m_connections.clock->sleep_for(k_exchange_retry_delay);
  }
  if (!result.ok) {
    auto const meaning = identity::aadsts_meaning(result.error_code);
    add("token-exchange",
        CheckStatus::Broken,
        "Entra refused the service account's token: " +
            (result.error_code.empty() ? result.error : result.error_code) +
            (meaning.empty() ? "" : " (" + std::string(meaning) + ")"),
        exchange_fix(result.error_code));
    return checks;
  }
  add("token-exchange",
      CheckStatus::Ok,
      "Entra exchanged a token of " + where + " for one of client id " + identity->client_id);

  if (!target.key_vault) {
    return checks;
  }
  auto const vault = m_services.key_vaults.get(*target.key_vault);
  if (!vault || vault->vault_uri.empty()) {
    return checks;
  }
  azure::KeyVaultDataClient const data{m_connections.as_workload(result.token)};
  auto const probe = data.probe_secret_get(vault->vault_uri, "wi-setup-verify-probe");
  switch (probe.access) {
  case azure::SecretAccess::Granted:
    add("keyvault-read", CheckStatus::Ok, "the workload may get secrets of " + vault->vault_uri);
    break;
  case azure::SecretAccess::Firewall:
    add("keyvault-read",
        CheckStatus::Broken,
        "the vault's firewall refused this machine (" + probe.code + "); the grant was not tested",
        "run verify from a network the vault allows, or add it to the vault's firewall");
    break;
  case azure::SecretAccess::Denied:
    add("keyvault-read",
        CheckStatus::Broken,
        "the vault refused the workload a secret GET: " + probe.code,
        enable);
    break;
  }
  return checks;
}

} // namespace wisetup::steps
