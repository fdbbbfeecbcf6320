// `verify`: checks every link of the binding and reports each, in text or JSON.
#include <wisetup/cli/ci_outputs.hpp>
#include <wisetup/cli/commands.hpp>
#include <wisetup/cli/session.hpp>
#include <wisetup/cli/text_reporter.hpp>
#include <wisetup/http/static_token_credential.hpp>
#include <wisetup/steps/binding_verifier.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <ostream>

namespace wisetup::cli {
namespace {

steps::VerifyTarget target_of(EnableInputs const& inputs) {
  return {inputs.cluster,
          inputs.identity,
          inputs.key_vault,
          inputs.permissions,
          inputs.kube_namespace,
          inputs.service_account,
          inputs.federated_credential,
          inputs.audience};
}

void print_text(std::ostream& out,
                std::vector<steps::Check> const& checks,
                std::chrono::milliseconds duration) {
  for (auto const& check : checks) {
    out << "  " << std::left << std::setw(22) << check.name << std::setw(9)
        << to_string(check.status) << check.detail << '\n';
    if (check.status != steps::CheckStatus::Ok && !check.fix.empty()) {
      out << "      fix: " << check.fix << '\n';
    }
  }
  auto const broken = std::find_if(checks.begin(), checks.end(), [](auto const& check) {
    return check.status == steps::CheckStatus::Broken;
  });
  if (broken == checks.end()) {
    out << "\nEvery link holds (checked in " << format_duration(duration) << ").\n";
  } else {
    out << "\nBroken: " << broken->name << ": " << broken->detail << "\nFix: " << broken->fix
        << '\n';
  }
}

nlohmann::ordered_json to_json(std::vector<steps::Check> const& checks,
                               core::ExitCode code,
                               std::chrono::milliseconds duration) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (auto const& check : checks) {
    list.push_back({{"name", check.name},
                    {"status", to_string(check.status)},
                    {"detail", check.detail},
                    {"fix", check.fix}});
  }
  return {{"schemaVersion", 1},
          {"command", "verify"},
          {"succeeded", code == core::ExitCode::Ok},
          {"exitCode", static_cast<int>(code)},
          {"durationMs", duration.count()},
          {"checks", list},
          {"errors", nlohmann::ordered_json::array()}};
}

} // namespace

core::ExitCode run_verify(CommandOptions const& options, Console const& console) {
  // Only an exchange needs a POST that is not a read (a TokenRequest); nothing persists either way.
  Session const session{options, console, !options.exchange};
  auto const& inputs = session.inputs();
  steps::VerifyConnections connections{
      session.cloud(),
      session.transport(),
      session.anonymous_pipeline(),
      [&session](http::AccessToken token) -> std::shared_ptr<http::Pipeline const> {
        auto credential = std::make_shared<http::StaticTokenCredential>(
            std::move(token.token), "the workload's exchanged token");
        return session.pipeline_with(credential,
                                     core::key_vault_audience(session.cloud()) + "/.default");
      },
      session.clock()};
  if (options.output != "json") {
    console.out << "wi-setup verify: service account " << inputs.kube_namespace << "/"
                << inputs.service_account << ", identity " << inputs.identity.name << ", cluster "
                << inputs.cluster.name << (options.exchange ? ", with a token exchange" : "")
                << '\n';
  }
  steps::BindingVerifier const verifier{session.services(), connections};
  auto const checks = verifier.verify(target_of(inputs), options.exchange);
  bool const broken = std::any_of(checks.begin(), checks.end(), [](auto const& check) {
    return check.status == steps::CheckStatus::Broken;
  });
  auto const code = broken ? core::ExitCode::Broken : core::ExitCode::Ok;
  auto const duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - session.started());
  if (options.output == "json") {
    console.out << to_json(checks, code, duration)
                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << '\n';
  } else {
    print_text(console.out, checks, duration);
  }
  auto const first_broken = std::find_if(checks.begin(), checks.end(), [](auto const& check) {
    return check.status == steps::CheckStatus::Broken;
  });
  core::ProcessEnvironment const environment;
  publish_verification_to_ci(first_broken == checks.end() ? std::string{} : first_broken->name,
                             first_broken == checks.end()
                                 ? std::string{}
                                 : first_broken->detail + "; fix: " + first_broken->fix,
                             detect_ci(environment),
                             environment,
                             console.out,
                             options.output == "json");
  return code;
}

} // namespace wisetup::cli
