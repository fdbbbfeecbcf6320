#include "sim/hosted_issuers.hpp"

#include "sim/encoding.hpp"
#include "sim/jwt.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

#include <cmath>
#include <stdexcept>

namespace wisetup::sim {
namespace {

constexpr std::string_view k_cluster_prefix = "cluster:";
constexpr std::string_view k_service_account_prefix = "system:serviceaccount:";

bool issuer_enabled(nlohmann::json const& cluster) {
  static nlohmann::json::json_pointer const k_enabled{"/properties/oidcIssuerProfile/enabled"};
  return cluster.value(k_enabled, false);
}

std::string issuer_url(nlohmann::json const& cluster) {
  static nlohmann::json::json_pointer const k_url{"/properties/oidcIssuerProfile/issuerURL"};
  return cluster.value(k_url, std::string{});
}

bool is_cluster(nlohmann::json const& resource) {
  return iequals(resource.value("type", ""), "Microsoft.ContainerService/ManagedClusters");
}

// The resource group segment of an ARM id.
std::string resource_group_of(std::string const& id) {
  static std::string const k_marker = "/resourcegroups/";
  std::string const lower = to_lower(id);
  auto const start = lower.find(k_marker);
  if (start == std::string::npos) {
    return {};
  }
  auto const begin = start + k_marker.size();
  return id.substr(begin, lower.find('/', begin) - begin);
}

// "repo:contoso/app:ref:refs/heads/main" -> {"contoso/app", "refs/heads/main"}.
std::pair<std::string, std::string> github_repository_and_ref(std::string const& subject) {
  if (subject.rfind("repo:", 0) != 0) {
    return {};
  }
  std::string const rest = subject.substr(5);
  auto const colon = rest.find(':');
  std::string const repository = rest.substr(0, colon);
  std::string ref;
  if (colon != std::string::npos && rest.compare(colon + 1, 4, "ref:") == 0) {
    ref = rest.substr(colon + 5);
  }
  return {repository, ref};
}

// The uid of the service account a subject names, if the cluster has it.
std::string service_account_uid(State const& state,
                                std::string const& cluster_key,
                                std::string const& namespace_name,
                                std::string const& name) {
  auto const cluster = state.kubernetes.find(cluster_key);
  if (cluster != state.kubernetes.end()) {
    auto const account = cluster->second.service_accounts.find(namespace_name + "/" + name);
    if (account != cluster->second.service_accounts.end()) {
      return account->second["metadata"].value("uid", "");
    }
  }
  return new_guid();
}

} // namespace

std::string github_issuer_url(std::string const& base_url) {
  return base_url + "/github/";
}

bool is_cluster_issuer(State const& state, std::string const& issuer) {
  for (auto const& [key, resource] : state.resources) {
    if (is_cluster(resource) && issuer_enabled(resource) && !issuer.empty() &&
        issuer_url(resource) == issuer) {
      return true;
    }
  }
  return false;
}

std::string
resolve_issuer(State const& state, std::string const& base_url, std::string const& alias) {
  if (alias == "github") {
    return github_issuer_url(base_url);
  }
  if (alias.rfind(k_cluster_prefix, 0) != 0) {
    return alias;
  }
  std::string name = alias.substr(k_cluster_prefix.size());
  std::string group;
  if (auto const slash = name.find('/'); slash != std::string::npos) {
    group = name.substr(0, slash);
    name = name.substr(slash + 1);
  }
  nlohmann::json const* found = nullptr;
  for (auto const& [key, resource] : state.resources) {
    if (!is_cluster(resource) || !iequals(resource.value("name", ""), name) ||
        (!group.empty() && !iequals(resource_group_of(resource.value("id", key)), group))) {
      continue;
    }
    if (found != nullptr) {
      throw std::invalid_argument("\"" + alias + "\" names more than one cluster; write " +
                                  "cluster:<resourceGroup>/" + name);
    }
    found = &resource;
  }
  if (found == nullptr) {
    throw std::invalid_argument("\"" + alias + "\" names no cluster the simulator knows");
  }
  if (!issuer_enabled(*found) || issuer_url(*found).empty()) {
    throw std::invalid_argument("the OIDC issuer of cluster " + found->value("name", name) +
                                " is not enabled (or its update has not finished), so it cannot "
                                "sign tokens; enable properties.oidcIssuerProfile first");
  }
  return issuer_url(*found);
}

RsaSigningKey const* hosted_issuer_key(SimulatorContext& context, std::string const& issuer) {
  if (issuer == github_issuer_url(context.base_url)) {
    if (!context.github_signing_key) {
      context.github_signing_key = std::make_unique<RsaSigningKey>();
    }
    return context.github_signing_key.get();
  }
  if (!is_cluster_issuer(context.state, issuer)) {
    return nullptr;
  }
  if (!context.oidc_signing_key) {
    context.oidc_signing_key = std::make_unique<RsaSigningKey>();
  }
  return context.oidc_signing_key.get();
}

std::string mint_external_token(SimulatorContext& context,
                                std::string const& issuer,
                                std::string const& subject,
                                std::string const& audience,
                                Seconds lifetime) {
  RsaSigningKey const* key = hosted_issuer_key(context, issuer);
  if (key == nullptr) {
    throw std::invalid_argument("the simulator does not host the issuer \"" + issuer +
                                "\" (or it is not enabled)");
  }
  long long const now = unix_seconds(std::chrono::system_clock::now());
  long long const expires = now + static_cast<long long>(std::floor(lifetime.count()));
  long long const issued = expires > now ? now : expires - 3600;
  nlohmann::json claims = {{"iss", issuer},
                           {"sub", subject},
                           {"iat", issued},
                           {"nbf", issued},
                           {"exp", expires},
                           {"jti", new_guid()}};
  if (issuer == github_issuer_url(context.base_url)) {
    auto const [repository, ref] = github_repository_and_ref(subject);
    claims["aud"] = audience;
    claims["repository"] = repository;
    claims["repository_owner"] = repository.substr(0, repository.find('/'));
    claims["ref"] = ref;
    claims["ref_type"] = ref.rfind("refs/tags/", 0) == 0 ? "tag" : "branch";
    claims["event_name"] = "push";
    claims["actor"] = "wi-setup-sim";
    claims["run_id"] = std::to_string(now);
    claims["run_attempt"] = "1";
    claims["runner_environment"] = "github-hosted";
  } else {
    claims["aud"] = nlohmann::json::array({audience});
    if (subject.rfind(k_service_account_prefix, 0) == 0) {
      std::string const rest = subject.substr(k_service_account_prefix.size());
      auto const colon = rest.find(':');
      if (colon != std::string::npos) {
        std::string const namespace_name = rest.substr(0, colon);
        std::string const name = rest.substr(colon + 1);
        std::string cluster_key;
        for (auto const& [resource_key, resource] : context.state.resources) {
          if (is_cluster(resource) && issuer_url(resource) == issuer) {
            cluster_key = resource_key;
          }
        }
        claims["kubernetes.io"] = {
            {"namespace", namespace_name},
            {"serviceaccount",
             {{"name", name},
              {"uid", service_account_uid(context.state, cluster_key, namespace_name, name)}}}};
      }
    }
  }
  return sign_jwt(*key, {{"typ", "JWT"}}, claims);
}

std::string service_account_issuer(State const& state, std::string const& cluster_key) {
  auto const found = state.resources.find(cluster_key);
  if (found != state.resources.end() && issuer_enabled(found->second) &&
      !issuer_url(found->second).empty()) {
    return issuer_url(found->second);
  }
  return "https://kubernetes.default.svc.cluster.local";
}

std::string mint_service_account_token(SimulatorContext& context,
                                       std::string const& cluster_key,
                                       std::string const& namespace_name,
                                       std::string const& name,
                                       std::string const& uid,
                                       std::vector<std::string> const& audiences,
                                       long long issued_at,
                                       long long expires_at) {
  // A cluster signs its service-account tokens with one key whether or not its OIDC issuer is
  // enabled; enabling the issuer only publishes that key (the JWKS every cluster issuer serves).
  if (!context.oidc_signing_key) {
    context.oidc_signing_key = std::make_unique<RsaSigningKey>();
  }
  nlohmann::json const claims = {
      {"aud", audiences},
      {"exp", expires_at},
      {"iat", issued_at},
      {"iss", service_account_issuer(context.state, cluster_key)},
      {"jti", new_guid()},
      {"kubernetes.io",
       {{"namespace", namespace_name}, {"serviceaccount", {{"name", name}, {"uid", uid}}}}},
      {"nbf", issued_at},
      {"sub", std::string(k_service_account_prefix) + namespace_name + ":" + name}};
  return sign_jwt(*context.oidc_signing_key, {}, claims);
}

} // namespace wisetup::sim
