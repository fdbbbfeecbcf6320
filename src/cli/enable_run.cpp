// Builds the clients and steps of `enable` and runs them.
#include <wisetup/azure/arm_client.hpp>
#include <wisetup/azure/key_vault_client.hpp>
#include <wisetup/azure/long_running_operation.hpp>
#include <wisetup/azure/managed_cluster_client.hpp>
#include <wisetup/azure/managed_identity_client.hpp>
#include <wisetup/azure/role_assignment_client.hpp>
#include <wisetup/cli/enable_command.hpp>
#include <wisetup/cli/enable_inputs.hpp>
#include <wisetup/cli/json_reporter.hpp>
#include <wisetup/cli/logging.hpp>
#include <wisetup/cli/text_reporter.hpp>
#include <wisetup/core/clock.hpp>
#include <wisetup/core/cloud.hpp>
#include <wisetup/core/environment.hpp>
#include <wisetup/http/cpprest_transport.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/random_guid.hpp>
#include <wisetup/identity/azure_cli_credential.hpp>
#include <wisetup/identity/credential_factory.hpp>
#include <wisetup/kube/kube_connection.hpp>
#include <wisetup/steps/cluster_features_step.hpp>
#include <wisetup/steps/federated_credential_step.hpp>
#include <wisetup/steps/key_vault_access_step.hpp>
#include <wisetup/steps/key_vault_step.hpp>
#include <wisetup/steps/keys.hpp>
#include <wisetup/steps/managed_identity_step.hpp>
#include <wisetup/steps/oidc_issuer_step.hpp>
#include <wisetup/steps/service_account_step.hpp>

#include <fstream>
#include <sstream>

namespace wisetup::cli {
namespace {

constexpr std::chrono::seconds k_request_timeout{60};
// How long the first managed identity request may take before the machine is taken to have none.
constexpr std::chrono::seconds k_managed_identity_probe_timeout{1};
constexpr std::string_view k_user_agent = "wi-setup/0.1.0";

http::TlsOptions tls_options(EnableOptions const& options) {
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

void set_inputs(workflow::RunState& state, EnableInputs const& inputs) {
  namespace keys = steps::keys;
  state.set(keys::cluster, inputs.cluster);
  state.set(keys::identity, inputs.identity);
  if (inputs.location) {
    state.set(keys::identity_location, *inputs.location);
  }
  if (inputs.key_vault) {
    state.set(keys::key_vault, *inputs.key_vault);
    state.set(keys::vault_permissions, inputs.permissions);
  }
  state.set(keys::kube_namespace, inputs.kube_namespace);
  state.set(keys::service_account, inputs.service_account);
  state.set(keys::federated_credential_name, inputs.federated_credential);
  state.set(keys::audience, inputs.audience);
}

template <class T>
std::optional<T> output(workflow::RunState const& state, workflow::StateKey<T> const& key) {
  if (!state.has(key)) {
    return std::nullopt;
  }
  return state.get(key);
}

EnableSummary summarize(std::vector<workflow::StepReport> reports,
                        workflow::RunState const& state,
                        EnableInputs const& inputs) {
  namespace keys = steps::keys;
  EnableSummary summary;
  summary.identity = output(state, keys::managed_identity);
  summary.issuer_url = output(state, keys::issuer_url);
  summary.vault_access = output(state, keys::vault_access);
  summary.kube_namespace = inputs.kube_namespace;
  summary.service_account = inputs.service_account;
  summary.service_account_ready = state.has(keys::service_account_subject);
  summary.federated_credential = output(state, keys::federated_credential);
  for (auto const& report : reports) {
    if (report.status == workflow::StepStatus::Failed && summary.exit_code == core::ExitCode::Ok) {
      summary.exit_code = error_exit_code(report.error);
    }
  }
  summary.steps = std::move(reports);
  return summary;
}

/// The signed-in `az` profile, read only when it supplies something missing: the subscription,
/// or the tenant for the Azure CLI and device code sign-ins.
std::optional<identity::AzureCliProfile> signed_in_profile(EnableOptions const& options,
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

core::ExitCode run_enable(EnableOptions const& given, Console const& console) {
  auto const started = std::chrono::steady_clock::now();
  configure_logging(given.verbosity);
  auto const auth = identity::parse_auth_kind(given.auth);
  auto const process_runner = identity::make_process_runner();
  core::ProcessEnvironment const environment;
  auto options = given;
  auto const profile = signed_in_profile(options, auth, environment, *process_runner);
  bool const subscription_from_az = options.subscription.empty() && profile;
  if (subscription_from_az) {
    options.subscription = profile->subscription_id;
  }
  auto const inputs = resolve_inputs(options);
  auto const cloud = core::load_cloud(options.cloud);
  auto const clock = std::make_shared<core::SystemClock>();
  auto const tls = tls_options(options);
  auto const transport = http::make_cpprest_transport(tls, k_request_timeout);

  identity::CredentialOptions credential_options;
  credential_options.kind = auth;
  credential_options.environment = &environment;
  credential_options.cloud = cloud;
  credential_options.transport = transport;
  credential_options.probe_transport =
      http::make_cpprest_transport(tls, k_managed_identity_probe_timeout);
  credential_options.clock = clock;
  credential_options.process_runner = process_runner;
  credential_options.device_code_prompt = [&console](std::string_view message) {
    console.err << message << '\n' << std::flush;
  };
  if (profile) {
    credential_options.tenant_id = profile->tenant_id;
  }
  auto const credential = identity::make_credential(credential_options);

  http::PipelineOptions pipeline_options;
  pipeline_options.user_agent = k_user_agent;
  pipeline_options.correlation_id = http::random_guid();
  auto const arm_pipeline =
      http::make_pipeline(pipeline_options, transport, credential, cloud.arm_scope(), clock);

  // Enabling the OIDC issuer restarts the API server while the service account step talks to it:
  // keep retrying for about two and a half minutes (0.8 s doubling, capped at 60 s) rather than
  // the default 25 s.
  auto kube_pipeline_options = pipeline_options;
  kube_pipeline_options.retry.max_retries = 8;

  azure::ArmClient const arm{arm_pipeline, cloud.resource_manager};
  azure::LroOptions lro_options;
  // One deadline for all the cluster's waits: a running operation, then the update.
  lro_options.deadline = clock->now() + std::chrono::minutes{options.timeout_minutes};
  azure::LongRunningOperation const lro{arm, clock, lro_options};
  azure::ManagedClusterClient const clusters{arm, lro};
  azure::ManagedIdentityClient const identities{arm};
  azure::KeyVaultClient const key_vaults{arm};
  azure::RoleAssignmentClient const role_assignments{arm};
  steps::Services const services{
      clusters,
      identities,
      key_vaults,
      role_assignments,
      [&](kube::Kubeconfig const& kubeconfig) {
        return kube::make_kube_client(
            kubeconfig,
            [](http::TlsOptions const& kube_tls) {
              return http::make_cpprest_transport(kube_tls, k_request_timeout);
            },
            kube_pipeline_options,
            clock,
            credential); // Entra-integrated clusters accept the same sign-in
      },
      clock};

  workflow::Runner runner;
  runner.add(std::make_unique<steps::ClusterFeaturesStep>(services));
  runner.add(std::make_unique<steps::OidcIssuerStep>());
  runner.add(std::make_unique<steps::ManagedIdentityStep>(services, !inputs.location.has_value()));
  if (inputs.key_vault) {
    runner.add(std::make_unique<steps::KeyVaultStep>(services));
    runner.add(std::make_unique<steps::KeyVaultAccessStep>(services));
  }
  runner.add(std::make_unique<steps::ServiceAccountStep>(services));
  runner.add(std::make_unique<steps::FederatedCredentialStep>(services));

  workflow::RunState state;
  set_inputs(state, inputs);

  ConfirmationPrompt const prompt{options.yes, console.interactive, console.in, console.err};
  std::unique_ptr<Reporter> reporter;
  if (options.output == "json") {
    reporter = std::make_unique<JsonReporter>(prompt, console.out, console.err);
  } else {
    reporter =
        std::make_unique<TextReporter>(prompt, console.out, console.err, console.err_is_terminal);
    console.out << "wi-setup enable: cluster " << inputs.cluster.name << ", identity "
                << inputs.identity.name << ", service account " << inputs.kube_namespace << "/"
                << inputs.service_account << '\n';
    if (subscription_from_az) {
      console.out << "  subscription " << inputs.cluster.subscription
                  << " (the default of the signed-in az profile)\n";
    }
    if (!inputs.key_vault) {
      console.out << "  (no --keyvault or $KEYVAULT_NAME: Key Vault access is not granted)\n";
    }
  }
  auto summary = summarize(runner.run(state, *reporter), state, inputs);
  summary.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  reporter->finish(summary);
  return summary.exit_code;
}

} // namespace wisetup::cli
