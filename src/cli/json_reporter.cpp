#include <wisetup/cli/json_reporter.hpp>
#include <wisetup/cli/text_reporter.hpp>

#include <ostream>

namespace wisetup::cli {
namespace {

std::string_view status_word(workflow::StepStatus status) {
  switch (status) {
  case workflow::StepStatus::Created:
    return "created";
  case workflow::StepStatus::Updated:
    return "updated";
  case workflow::StepStatus::Deleted:
    return "deleted";
  case workflow::StepStatus::UpToDate:
    return "unchanged";
  case workflow::StepStatus::Planned:
    return "planned";
  case workflow::StepStatus::Failed:
    return "failed";
  case workflow::StepStatus::Skipped:
    return "skipped";
  }
  return "skipped";
}

} // namespace

JsonReporter::JsonReporter(ConfirmationPrompt prompt, std::ostream& out, std::ostream& err)
    : Reporter(std::move(prompt)), m_out(out), m_err(err) {}

nlohmann::ordered_json JsonReporter::to_json(RunSummary const& summary) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (auto const& report : summary.steps) {
    nlohmann::ordered_json step = {{"name", report.name},
                                   {"status", status_word(report.status)},
                                   {"detail", report.detail},
                                   {"durationMs", report.duration.count()},
                                   {"change", to_string(report.drift)},
                                   {"changes", nlohmann::ordered_json::array()}};
    for (auto const& change : report.changes) {
      step["changes"].push_back(
          {{"field", change.field}, {"before", change.before}, {"after", change.after}});
    }
    if (report.warning) {
      step["warning"] = *report.warning;
    }
    if (report.error) {
      step["detail"] = error_message(report.error);
      errors.push_back({{"step", report.name},
                        {"message", error_message(report.error)},
                        {"exitCode", static_cast<int>(error_exit_code(report.error))}});
    }
    steps.push_back(std::move(step));
  }

  nlohmann::ordered_json outputs = nlohmann::ordered_json::object();
  if (summary.identity) {
    outputs["identity"] = {{"id", summary.identity->id},
                           {"name", summary.identity->name},
                           {"clientId", summary.identity->client_id},
                           {"principalId", summary.identity->principal_id},
                           {"tenantId", summary.identity->tenant_id}};
  }
  if (summary.issuer_url) {
    outputs["issuerUrl"] = *summary.issuer_url;
  }
  if (summary.vault_access) {
    outputs["keyVaultAccess"] = *summary.vault_access;
  }
  if (summary.service_account_ready) {
    outputs["serviceAccount"] = {
        {"namespace", summary.kube_namespace},
        {"name", summary.service_account},
        {"subject",
         "system:serviceaccount:" + summary.kube_namespace + ":" + summary.service_account}};
  }
  if (summary.federated_credential) {
    outputs["federatedCredential"] = {{"name", summary.federated_credential->name},
                                      {"issuer", summary.federated_credential->issuer},
                                      {"subject", summary.federated_credential->subject},
                                      {"audiences", summary.federated_credential->audiences}};
  }
  bool const pending = summary.exit_code == core::ExitCode::Pending;
  nlohmann::ordered_json document = {
      {"schemaVersion", 1},
      {"command", summary.command},
      {"succeeded", summary.exit_code == core::ExitCode::Ok || pending},
      {"exitCode", static_cast<int>(summary.exit_code)},
      {"durationMs", summary.duration.count()},
      {"interrupted", summary.interrupted.has_value()}};
  if (summary.plan_only) {
    document["dryRun"] = summary.command != "plan";
    document["changesPending"] = pending;
  }
  document["steps"] = steps;
  document["outputs"] = outputs;
  document["errors"] = errors;
  return document;
}

void JsonReporter::finish(RunSummary const& summary) {
  for (auto const& report : summary.steps) {
    if (report.status == workflow::StepStatus::Failed) {
      m_err << "error: " << report.name << ": " << error_message(report.error) << '\n';
    }
  }
  // Service messages may carry invalid UTF-8: replace it rather than lose the document.
  m_out << to_json(summary).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'
        << std::flush;
}

} // namespace wisetup::cli
