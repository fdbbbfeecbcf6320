#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/azure_cli_credential.hpp>
#include <wisetup/identity/cached_credential.hpp>
#include <wisetup/identity/chained_token_credential.hpp>
#include <wisetup/identity/client_certificate_credential.hpp>
#include <wisetup/identity/client_secret_credential.hpp>
#include <wisetup/identity/credential_factory.hpp>
#include <wisetup/identity/credential_unavailable.hpp>
#include <wisetup/identity/device_code_credential.hpp>
#include <wisetup/identity/managed_identity_credential.hpp>
#include <wisetup/identity/workload_identity_credential.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <vector>

namespace wisetup::identity {
namespace {

/// The Azure CLI's public client, the usual client for device code sign-in without an app of
/// one's own.
constexpr char const* k_azure_cli_client_id = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/// A kind decided from the variables alone: built, or the reason it is not configured.
struct Decided {
  std::shared_ptr<http::TokenCredential const> credential;
  std::string unavailable;
};

/// Holds a kind's place in a chain when it is not configured: the chain skips it and lists the
/// reason if nothing else works.
class UnavailableCredential final : public http::TokenCredential {
public:
  UnavailableCredential(std::string name, std::string reason)
      : m_name(std::move(name)), m_reason(std::move(reason)) {}
  [[nodiscard]] http::AccessToken get_token(std::string const& /*scope*/) const override {
    throw CredentialUnavailable(m_reason);
  }
  [[nodiscard]] std::string describe() const override { return m_name + " (not configured)"; }

private:
  std::string m_name;
  std::string m_reason;
};

/// A GUID or a DNS name: the only shapes a tenant or client id takes. Checked before the value
/// reaches a URL path or a form body.
void require_id(std::string_view variable, std::string const& value) {
  bool const valid =
      value.size() <= 253 && std::all_of(value.begin(), value.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '.';
      });
  if (!valid) {
    throw core::InvalidInput(std::string(variable) +
                             " is not a GUID or a domain name; set it to the id Azure shows (for "
                             "example 00000000-0000-0000-0000-000000000000 or "
                             "contoso.onmicrosoft.com)");
  }
}

/// "A", "A and B", "A, B and C".
std::string join(std::vector<std::string_view> const& names) {
  std::string result;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      result += i + 1 == names.size() ? " and " : ", ";
    }
    result += names[i];
  }
  return result;
}

std::string authority_host(core::Environment const& environment, core::Cloud const& cloud) {
  auto const configured = environment.get("AZURE_AUTHORITY_HOST");
  auto const host = core::without_trailing_slash(configured.value_or(cloud.active_directory));
  if (configured) {
    bool https = false;
    try {
      https = http::parse_url(host).scheme == "https";
    } catch (core::InvalidInput const&) {
      https = false;
    }
    if (!https) {
      throw core::InvalidInput("AZURE_AUTHORITY_HOST is not an https:// URL; set it to the "
                               "authority, for example https://login.microsoftonline.com/");
    }
  }
  return host;
}

/// Everything the kinds are built from.
class Builder {
public:
  explicit Builder(CredentialOptions const& options)
      : m_options(options), m_environment(*options.environment),
        m_authority(authority_host(m_environment, options.cloud)) {}

  [[nodiscard]] std::optional<std::string> get(std::string_view name) const {
    return m_environment.get(name);
  }

  /// AZURE_TENANT_ID and AZURE_CLIENT_ID, checked; nullopt and the reason when either is
  /// missing. `source` says what configured the kind ("AZURE_CLIENT_SECRET is set").
  [[nodiscard]] std::optional<std::pair<std::string, std::string>>
  application(std::string const& source, std::string& reason) const {
    auto tenant = get("AZURE_TENANT_ID");
    auto client = get("AZURE_CLIENT_ID");
    std::vector<std::string_view> missing;
    if (!tenant) {
      missing.emplace_back("AZURE_TENANT_ID");
    }
    if (!client) {
      missing.emplace_back("AZURE_CLIENT_ID");
    }
    if (!missing.empty()) {
      reason = source + ", but " + join(missing) + (missing.size() == 1 ? " is" : " are") +
               " not; set " + (missing.size() == 1 ? "it" : "them") + " too";
      return std::nullopt;
    }
    require_id("AZURE_TENANT_ID", *tenant);
    require_id("AZURE_CLIENT_ID", *client);
    return std::pair{std::move(*tenant), std::move(*client)};
  }

  [[nodiscard]] Decided environment() const {
    auto const secret = get("AZURE_CLIENT_SECRET");
    auto const certificate = get("AZURE_CLIENT_CERTIFICATE_PATH");
    if (!secret && !certificate) {
      return {nullptr,
              "neither AZURE_CLIENT_SECRET nor AZURE_CLIENT_CERTIFICATE_PATH is set; set one, "
              "with AZURE_TENANT_ID and AZURE_CLIENT_ID"};
    }
    Decided decided;
    auto const ids =
        application(secret ? "AZURE_CLIENT_SECRET is set" : "AZURE_CLIENT_CERTIFICATE_PATH is set",
                    decided.unavailable);
    if (!ids) {
      return decided;
    }
    auto const& [tenant, client] = *ids;
    if (secret) {
      decided.credential = std::make_shared<ClientSecretCredential>(
          m_authority, tenant, client, *secret, m_options.transport, m_options.clock);
    } else {
      decided.credential = std::make_shared<ClientCertificateCredential>(
          m_authority,
          tenant,
          client,
          *certificate,
          get("AZURE_CLIENT_CERTIFICATE_PASSWORD").value_or(""),
          m_options.transport,
          m_options.clock,
          http::RetryOptions{},
          send_certificate_chain());
    }
    return decided;
  }

  [[nodiscard]] Decided workload_identity() const {
    WorkloadIdentityOptions options;
    options.token_file = get("AZURE_FEDERATED_TOKEN_FILE").value_or("");
    if (options.token_file.empty()) {
      options.github_request_url = get("ACTIONS_ID_TOKEN_REQUEST_URL").value_or("");
      options.github_request_token = get("ACTIONS_ID_TOKEN_REQUEST_TOKEN").value_or("");
      if (options.github_request_url.empty() || options.github_request_token.empty()) {
        return {nullptr,
                "AZURE_FEDERATED_TOKEN_FILE is not set (the workload identity webhook sets it in "
                "a pod), and no GitHub Actions OIDC token is offered (a job with `permissions: "
                "id-token: write`)"};
      }
    }
    Decided decided;
    auto const ids =
        application(options.token_file.empty() ? "a GitHub Actions OIDC token is offered"
                                               : "AZURE_FEDERATED_TOKEN_FILE is set",
                    decided.unavailable);
    if (!ids) {
      return decided;
    }
    options.authority_host = m_authority;
    options.tenant_id = ids->first;
    options.client_id = ids->second;
    decided.credential = std::make_shared<WorkloadIdentityCredential>(
        std::move(options), m_options.transport, m_options.clock);
    return decided;
  }

  [[nodiscard]] std::shared_ptr<http::TokenCredential const> managed_identity(bool asked) const {
    ManagedIdentitySelector selector;
    selector.in_default_chain = !asked;
    if (asked) {
      // Asked for by name: AZURE_CLIENT_ID picks a user-assigned identity, as the .NET, Python
      // and JavaScript SDKs do.
      if (auto client = get("AZURE_CLIENT_ID")) {
        require_id("AZURE_CLIENT_ID", *client);
        selector.client_id = std::move(*client);
      }
    }
    // The short probe only decides whether the chain moves on; asked for by name, the endpoint
    // gets the normal timeout, since a slow first answer is common.
    auto direct = m_options.managed_identity_transport ? m_options.managed_identity_transport
                                                       : m_options.transport;
    auto probe = m_options.probe_transport && !asked ? m_options.probe_transport : direct;
    return std::make_shared<ManagedIdentityCredential>(
        m_environment, std::move(selector), direct, std::move(probe), m_options.clock);
  }

  /// AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: "true" or "1" (any case), as the Azure SDKs read it.
  [[nodiscard]] bool send_certificate_chain() const {
    auto const value = get("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN");
    return value && (core::to_lower(*value) == "true" || *value == "1");
  }

  /// AZURE_TENANT_ID, else the caller's fallback tenant, else empty.
  [[nodiscard]] std::string user_tenant() const {
    return get("AZURE_TENANT_ID").value_or(m_options.tenant_id);
  }

  [[nodiscard]] std::shared_ptr<http::TokenCredential const> azure_cli() const {
    auto runner = m_options.process_runner ? m_options.process_runner : make_process_runner();
    return std::make_shared<AzureCliCredential>(std::move(runner), user_tenant(), m_options.clock);
  }

  [[nodiscard]] std::shared_ptr<http::TokenCredential const> device_code() const {
    if (!m_options.device_code_prompt) {
      throw core::Error("device code sign-in needs a prompt to show its code");
    }
    auto tenant = user_tenant();
    if (tenant.empty()) {
      tenant = "organizations";
    }
    require_id(get("AZURE_TENANT_ID") ? "AZURE_TENANT_ID" : "the tenant", tenant);
    auto client = get("AZURE_CLIENT_ID").value_or(k_azure_cli_client_id);
    require_id("AZURE_CLIENT_ID", client);
    return std::make_shared<DeviceCodeCredential>(m_authority,
                                                  std::move(tenant),
                                                  std::move(client),
                                                  m_options.device_code_prompt,
                                                  m_options.transport,
                                                  m_options.clock);
  }

  /// Environment -> workload identity -> managed identity -> Azure CLI, narrowed by
  /// AZURE_TOKEN_CREDENTIALS as the Azure SDKs define it: "prod" (the first three), "dev" (the
  /// Azure CLI), or the name of one credential, which is then the only one.
  [[nodiscard]] std::shared_ptr<http::TokenCredential const> chain() const {
    auto const selection = get("AZURE_TOKEN_CREDENTIALS");
    auto const chosen = selection ? core::to_lower(*selection) : std::string{};
    auto const alone = [](char const* name,
                          std::shared_ptr<http::TokenCredential const> credential) {
      return std::make_shared<ChainedTokenCredential>(
          std::vector<ChainLink>{{name, std::move(credential)}});
    };
    if (chosen == "environmentcredential") {
      return alone("environment", required(environment(), AuthKind::Environment));
    }
    if (chosen == "workloadidentitycredential") {
      return alone("workload identity", required(workload_identity(), AuthKind::WorkloadIdentity));
    }
    if (chosen == "managedidentitycredential") {
      return alone("managed identity", managed_identity(/*asked=*/true));
    }
    if (chosen == "azureclicredential") {
      return alone("Azure CLI", azure_cli());
    }
    if (!chosen.empty() && chosen != "dev" && chosen != "prod") {
      throw core::InvalidInput(
          "AZURE_TOKEN_CREDENTIALS is \"" + *selection +
          "\"; use dev (the Azure CLI), prod (environment, workload identity, managed identity) "
          "or one of EnvironmentCredential, WorkloadIdentityCredential, "
          "ManagedIdentityCredential, AzureCliCredential, or unset it for the whole chain");
    }
    bool const production = chosen != "dev";
    bool const developer = chosen != "prod";

    std::vector<ChainLink> links;
    std::vector<std::pair<std::string, std::string>> reasons;
    std::vector<std::pair<char const*, Decided (Builder::*)() const>> configured_kinds;
    if (production) {
      configured_kinds = {{"environment", &Builder::environment},
                          {"workload identity", &Builder::workload_identity}};
    }
    for (auto const& [name, decide] : configured_kinds) {
      auto decided = (this->*decide)();
      if (decided.credential) {
        // Configured: it either works or stops the chain, so nothing after it is reachable,
        // and the kinds before it were not configured.
        spdlog::debug("credential chain: using {}", decided.credential->describe());
        return std::make_shared<ChainedTokenCredential>(
            std::vector<ChainLink>{{name, std::move(decided.credential)}});
      }
      links.push_back({name, std::make_shared<UnavailableCredential>(name, decided.unavailable)});
      reasons.emplace_back(name, std::move(decided.unavailable));
    }
    bool reachable = false;
    if (m_options.probe_transport && production) {
      links.push_back({"managed identity", managed_identity(/*asked=*/false)});
      reachable = true;
    }
    if (m_options.process_runner && developer) {
      links.push_back({"Azure CLI", azure_cli()});
      reachable = true;
    }
    if (!reachable) {
      throw ChainedTokenCredential::none_available(reasons);
    }
    return std::make_shared<ChainedTokenCredential>(std::move(links));
  }

  /// The kind decided from the variables, or CredentialUnavailable naming `kind`.
  [[nodiscard]] static std::shared_ptr<http::TokenCredential const> required(Decided decided,
                                                                             AuthKind kind) {
    if (!decided.credential) {
      throw CredentialUnavailable("--auth " + std::string(to_string(kind)) +
                                  " is not configured: " + decided.unavailable);
    }
    return std::move(decided.credential);
  }

private:
  CredentialOptions const& m_options;
  core::Environment const& m_environment;
  std::string m_authority;
};

} // namespace

std::shared_ptr<http::TokenCredential const> make_credential(CredentialOptions const& options) {
  if (options.environment == nullptr || !options.transport || !options.clock) {
    throw core::Error("make_credential needs an environment, a transport and a clock");
  }
  Builder const builder{options};
  std::shared_ptr<http::TokenCredential const> credential;
  switch (options.kind) {
  case AuthKind::Default:
    credential = builder.chain();
    break;
  case AuthKind::Environment:
    credential = Builder::required(builder.environment(), options.kind);
    break;
  case AuthKind::WorkloadIdentity:
    credential = Builder::required(builder.workload_identity(), options.kind);
    break;
  case AuthKind::ManagedIdentity:
    credential = builder.managed_identity(/*asked=*/true);
    break;
  case AuthKind::AzureCli:
    credential = builder.azure_cli();
    break;
  case AuthKind::DeviceCode:
    credential = builder.device_code();
    break;
  }
  return std::make_shared<CachedCredential>(std::move(credential), options.clock);
}

std::shared_ptr<http::TokenCredential const>
make_credential(core::Environment const& environment,
                core::Cloud const& cloud,
                std::shared_ptr<http::Transport> transport,
                std::shared_ptr<core::Clock> clock) {
  CredentialOptions options;
  options.environment = &environment;
  options.cloud = cloud;
  options.transport = std::move(transport);
  options.clock = std::move(clock);
  return make_credential(options);
}

} // namespace wisetup::identity
