// Assembles the transport, credential, pipelines and clients every subcommand shares.
#include <wisetup/cli/logging.hpp>
#include <wisetup/cli/session.hpp>
#include <wisetup/core/clock.hpp>
#include <wisetup/core/stop_request.hpp>
#include <wisetup/http/cpprest_transport.hpp>
#include <wisetup/http/guid.hpp>
#include <wisetup/identity/azure_cli_credential.hpp>
#include <wisetup/identity/credential_factory.hpp>
#include <wisetup/kube/kube_connection.hpp>
#include <wisetup/steps/access_preflight.hpp>
#include <wisetup/steps/keys.hpp>

#include <fstream>
#include <sstream>

namespace wisetup::cli {
namespace {

constexpr std::chrono::seconds k_request_timeout{60};
// How long the first managed identity request may take before the machine is taken to have none.
constexpr std::chrono::seconds k_managed_identity_probe_timeout{1};
constexpr std::string_view k_user_agent = "wi-setup/0.1.0";

http::TlsOptions tls_options(CommandOptions const& options) {
  http::TlsOptions tls;
  if (options.ca_bundle.empty()) {
    return tls;
  }
  std::ifstream file{options.ca_bundle};
  if (!file) {
    throw core::InvalidInput("cannot read --ca-bundle " + options.ca_bundle +
                             "; pass an existing PEM file of CA certificates");
  }
  std::stringstream pem;
  pem << file.rdbuf();
  tls.extra_ca_pem = pem.str();
  if (tls.extra_ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    throw core::InvalidInput("--ca-bundle " + options.ca_bundle +
                             " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  return tls;
}

/// The signed-in `az` profile, read only when it supplies something missing: the subscription,
/// or the tenant for the Azure CLI and device code sign-ins.
std::optional<identity::AzureCliProfile> signed_in_profile(CommandOptions const& options,
                                                           identity::AuthKind auth,
                                                           core::Environment const& environment,
                                                           identity::ProcessRunner const& runner) {
  bool const needs_subscription = options.subscription.empty();
  bool const needs_tenant =
      !environment.get("AZURE_TENANT_ID") &&
      (auth == identity::AuthKind::AzureCli || auth == identity::AuthKind::DeviceCode);
  // With a service principal or federated identity configured, az is not who signs in: its
  // profile's subscription could be another identity's.
  bool const may_use_az =
      (auth == identity::AuthKind::Default && !environment.get("AZURE_CLIENT_ID")) ||
      auth == identity::AuthKind::AzureCli || auth == identity::AuthKind::DeviceCode;
  if (!may_use_az || !(needs_subscription || needs_tenant)) {
    return std::nullopt;
  }
  return identity::read_azure_cli_profile(runner);
}

} // namespace

Session::Session(CommandOptions const& options, Console const& console, bool read_only)
    : m_started(std::chrono::steady_clock::now()),
      m_process_runner(identity::make_process_runner()), m_options(options) {
  configure_logging(options.verbosity);
  auto const auth = identity::parse_auth_kind(options.auth);
  auto const profile = signed_in_profile(options, auth, m_environment, *m_process_runner);
  m_subscription_from_az = m_options.subscription.empty() && profile;
  if (m_subscription_from_az) {
    m_options.subscription = profile->subscription_id;
  }
  m_inputs = resolve_inputs(m_options);
  core::stop_request::set_deadline(m_started + m_inputs.timeout,
                                   "the run did not finish within --timeout " + m_options.timeout);
  m_cloud = core::load_cloud(m_options.cloud);
  m_clock = std::make_shared<core::SystemClock>();
  auto const tls = tls_options(m_options);
  auto const proxies = http::ProxySettings::from_environment(m_environment);
  m_transport = http::make_cpprest_transport(tls, k_request_timeout, proxies);

  identity::CredentialOptions credential_options;
  credential_options.kind = auth;
  credential_options.environment = &m_environment;
  credential_options.cloud = m_cloud;
  credential_options.transport = m_transport;
  // The managed identity endpoints are always reached directly, never through a proxy.
  credential_options.probe_transport =
      http::make_cpprest_transport(tls, k_managed_identity_probe_timeout);
  credential_options.managed_identity_transport =
      http::make_cpprest_transport(tls, k_request_timeout);
  credential_options.clock = m_clock;
  credential_options.process_runner = m_process_runner;
  credential_options.device_code_prompt = [&console](std::string_view message) {
    console.err << message << '\n' << std::flush;
  };
  if (profile) {
    credential_options.tenant_id = profile->tenant_id;
  }
  m_credential = identity::make_credential(credential_options);

  m_pipeline_options.user_agent = k_user_agent;
  m_pipeline_options.correlation_id = http::random_guid();
  m_pipeline_options.read_only = read_only;
  auto const arm_pipeline = pipeline_for(m_cloud.arm_scope());

  // Enabling the OIDC issuer restarts the API server while the service account step talks to it:
  // keep retrying for about two and a half minutes (0.8 s doubling, capped at 60 s) rather than
  // the default 25 s.
  auto kube_pipeline_options = m_pipeline_options;
  kube_pipeline_options.retry.max_retries = 8;

  m_arm = std::make_unique<azure::ArmClient>(arm_pipeline, m_cloud.resource_manager);
  azure::LroOptions lro_options;
  // One deadline for all the cluster's waits: a running operation, then the update. It falls a
  // little after the whole run's (core::stop_request), so that the run's deadline, which reports
  // the run as interrupted, is the one that ends it; this one is the backstop.
  lro_options.deadline = m_clock->now() + m_inputs.timeout + std::chrono::seconds{2};
  m_lro = std::make_unique<azure::LongRunningOperation>(*m_arm, m_clock, lro_options);
  m_clusters = std::make_unique<azure::ManagedClusterClient>(*m_arm, *m_lro);
  m_identities = std::make_unique<azure::ManagedIdentityClient>(*m_arm);
  m_key_vaults = std::make_unique<azure::KeyVaultClient>(*m_arm);
  m_role_assignments = std::make_unique<azure::RoleAssignmentClient>(*m_arm);
  m_permissions = std::make_unique<azure::PermissionsClient>(*m_arm);
  auto const clock = m_clock;
  auto const credential = m_credential;
  m_services = std::make_unique<steps::Services>(steps::Services{
      *m_clusters,
      *m_identities,
      *m_key_vaults,
      *m_role_assignments,
      [kube_pipeline_options, clock, credential, proxies](kube::Kubeconfig const& kubeconfig) {
        // A kubeconfig's proxy-url wins over the environment, as in kubectl. It names only a
        // route: TLS to the API server is still verified end to end through the tunnel.
        auto const route =
            kubeconfig.proxy_url.empty()
                ? proxies
                : http::ProxySettings::through(http::parse_proxy(
                      kubeconfig.proxy_url, "the proxy-url of the cluster's kubeconfig"));
        return kube::make_kube_client(
            kubeconfig,
            [route](http::TlsOptions const& kube_tls) {
              return http::make_cpprest_transport(kube_tls, k_request_timeout, route);
            },
            kube_pipeline_options,
            clock,
            credential); // Entra-integrated clusters accept the same sign-in
      },
      m_clock,
      std::make_shared<steps::ReadAhead>()});
}

workflow::AccessCheck Session::access_check() const {
  if (m_options.skip_access_check) {
    return {};
  }
  return steps::AccessPreflight{*m_permissions, *m_services, m_inputs.cluster};
}

void Session::publish_inputs(workflow::RunState& state) const {
  namespace keys = steps::keys;
  state.set(keys::cluster, m_inputs.cluster);
  state.set(keys::identity, m_inputs.identity);
  if (m_inputs.location) {
    state.set(keys::identity_location, *m_inputs.location);
  }
  if (m_inputs.key_vault) {
    state.set(keys::key_vault, *m_inputs.key_vault);
    state.set(keys::vault_permissions, m_inputs.permissions);
  }
  state.set(keys::kube_namespace, m_inputs.kube_namespace);
  state.set(keys::service_account, m_inputs.service_account);
  state.set(keys::federated_credential_name, m_inputs.federated_credential);
  state.set(keys::audience, m_inputs.audience);
}

std::shared_ptr<http::Pipeline> Session::pipeline_for(std::string const& scope) const {
  return http::make_pipeline(m_pipeline_options, m_transport, m_credential, scope, m_clock);
}

std::shared_ptr<http::Pipeline>
Session::pipeline_with(std::shared_ptr<http::TokenCredential const> credential,
                       std::string const& scope) const {
  return http::make_pipeline(
      m_pipeline_options, m_transport, std::move(credential), scope, m_clock);
}

std::shared_ptr<http::Pipeline> Session::anonymous_pipeline() const {
  return http::make_pipeline(m_pipeline_options, m_transport, nullptr, {}, m_clock);
}

} // namespace wisetup::cli
