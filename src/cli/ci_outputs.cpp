// GitHub Actions workflow commands and files, Azure Pipelines logging commands (reference: "CI
// conventions").
#include <wisetup/cli/ci_outputs.hpp>
#include <wisetup/cli/text_reporter.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/guid.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>

namespace wisetup::cli {
namespace {

/// One character and what stands for it in a CI system's command syntax.
struct Escape {
  char character;
  std::string_view replacement;
};

std::string escaped(std::string_view text, std::initializer_list<Escape> escapes) {
  std::string out;
  for (char const c : text) {
    auto const* found = std::find_if(escapes.begin(), escapes.end(), [c](Escape const& escape) {
      return escape.character == c;
    });
    if (found == escapes.end()) {
      out += c;
    } else {
      out += found->replacement;
    }
  }
  return out;
}

/// A workflow command's message: '%', CR and LF are escaped so one line stays one command.
std::string github_data(std::string_view text) {
  return escaped(text, {{'%', "%25"}, {'\r', "%0D"}, {'\n', "%0A"}});
}

/// A workflow command's property value: also ':' and ','.
std::string github_property(std::string_view text) {
  return escaped(text, {{'%', "%25"}, {'\r', "%0D"}, {'\n', "%0A"}, {':', "%3A"}, {',', "%2C"}});
}

/// A logging command's value: '%', ';', ']', CR and LF are escaped.
std::string azure_pipelines_value(std::string_view text) {
  return escaped(text, {{'%', "%AZP25"}, {';', "%3B"}, {']', "%5D"}, {'\r', "%0D"}, {'\n', "%0A"}});
}

/// "client-id" -> "clientId": Azure Pipelines variable names take letters, digits, '.' and '_'.
std::string pipelines_name(std::string_view name) {
  std::string camel;
  bool upper = false;
  for (char const c : name) {
    if (c == '-') {
      upper = true;
    } else {
      camel += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return camel;
}

/// One line of a step's group: its detail, then each field it changes.
std::vector<std::string> step_lines(workflow::StepReport const& report) {
  std::vector<std::string> lines;
  if (!report.detail.empty()) {
    lines.push_back(report.detail);
  }
  for (auto const& change : report.changes) {
    lines.push_back(change.field + ": " + (change.before.empty() ? "(none)" : change.before) +
                    " -> " + (change.after.empty() ? "(none)" : change.after));
  }
  return lines;
}

std::ofstream open_for_append(core::Environment const& environment, char const* variable) {
  auto const path = environment.get(variable);
  std::ofstream file;
  if (path) {
    file.open(*path, std::ios::app);
    if (!file) {
      throw core::InvalidInput(std::string("cannot append to $") + variable + " (" + *path +
                               "); run wi-setup as a step of the job that sets it, or unset it");
    }
  }
  return file;
}

void write_github_outputs(RunSummary const& summary, core::Environment const& environment) {
  auto file = open_for_append(environment, "GITHUB_OUTPUT");
  if (!file.is_open()) {
    return;
  }
  for (auto const& [name, value] : ci_outputs(summary)) {
    if (value.find_first_of("\r\n") == std::string::npos) {
      file << name << '=' << value << '\n';
    } else { // the multi-line form, with a delimiter the value cannot contain
      auto const delimiter = "ghadelimiter_" + http::random_guid();
      file << name << "<<" << delimiter << '\n' << value << '\n' << delimiter << '\n';
    }
  }
}

/// A table cell: '|' and line ends would end the cell or the row.
std::string cell(std::string text) {
  for (auto& c : text) {
    c = (c == '|' || c == '\n' || c == '\r') ? ' ' : c;
  }
  return text;
}

void write_github_summary(RunSummary const& summary, core::Environment const& environment) {
  auto file = open_for_append(environment, "GITHUB_STEP_SUMMARY");
  if (!file.is_open()) {
    return;
  }
  file << "### wi-setup " << summary.command << ": " << summary.kube_namespace << '/'
       << summary.service_account << "\n\n| step | status | detail |\n| --- | --- | --- |\n";
  for (auto const& report : summary.steps) {
    auto const detail =
        report.status == workflow::StepStatus::Failed ? error_message(report.error) : report.detail;
    file << "| " << report.name << " | " << workflow::to_string(report.status) << " | "
         << cell(detail) << " |\n";
  }
  auto const outputs = ci_outputs(summary);
  if (!outputs.empty()) {
    file << "\n| output | value |\n| --- | --- |\n";
    for (auto const& [name, value] : outputs) {
      file << "| " << name << " | `" << cell(value) << "` |\n";
    }
  }
  if (summary.command == "enable" && !summary.plan_only &&
      summary.exit_code == core::ExitCode::Ok) {
    file << "\nStill to do: label the pods that run as `" << summary.kube_namespace << '/'
         << summary.service_account
         << "` with `azure.workload.identity/use: \"true\"` and set `serviceAccountName: "
         << summary.service_account << "`.\n";
  }
  file << '\n';
}

} // namespace

CiSystem detect_ci(core::Environment const& environment) {
  if (environment.get("GITHUB_ACTIONS") == "true") {
    return CiSystem::GitHubActions;
  }
  if (auto const tf_build = environment.get("TF_BUILD");
      tf_build && (*tf_build == "True" || *tf_build == "true")) {
    return CiSystem::AzurePipelines;
  }
  return CiSystem::None;
}

std::vector<std::pair<std::string, std::string>> ci_outputs(RunSummary const& summary) {
  std::vector<std::pair<std::string, std::string>> outputs;
  if (summary.plan_only) {
    return outputs; // a plan's values are not there yet
  }
  if (summary.identity) {
    outputs.emplace_back("client-id", summary.identity->client_id);
    outputs.emplace_back("principal-id", summary.identity->principal_id);
    outputs.emplace_back("tenant-id", summary.identity->tenant_id);
  }
  if (summary.issuer_url) {
    outputs.emplace_back("issuer-url", *summary.issuer_url);
  }
  return outputs;
}

void publish_to_ci(RunSummary const& summary,
                   CiSystem system,
                   core::Environment const& environment,
                   std::ostream& out,
                   bool out_is_json) {
  if (system == CiSystem::GitHubActions) {
    if (!out_is_json) {
      for (auto const& report : summary.steps) {
        out << "::group::"
            << github_data(report.name + ": " + std::string(workflow::to_string(report.status)))
            << '\n';
        for (auto const& line : step_lines(report)) {
          out << github_data(line) << '\n';
        }
        out << "::endgroup::\n";
        if (report.status == workflow::StepStatus::Failed) {
          out << "::error title=" << github_property("wi-setup " + report.name)
              << "::" << github_data(error_message(report.error)) << '\n';
        }
        if (report.warning) {
          out << "::warning title=" << github_property("wi-setup " + report.name)
              << "::" << github_data(*report.warning) << '\n';
        }
      }
    }
    write_github_outputs(summary, environment);
    write_github_summary(summary, environment);
  } else if (system == CiSystem::AzurePipelines && !out_is_json) {
    for (auto const& report : summary.steps) {
      out << "##[group]" << azure_pipelines_value(report.name) << ": "
          << workflow::to_string(report.status) << '\n';
      for (auto const& line : step_lines(report)) {
        out << line << '\n';
      }
      out << "##[endgroup]\n";
      if (report.status == workflow::StepStatus::Failed) {
        out << "##vso[task.logissue type=error]"
            << azure_pipelines_value(error_message(report.error)) << '\n';
      }
      if (report.warning) {
        out << "##vso[task.logissue type=warning]" << azure_pipelines_value(*report.warning)
            << '\n';
      }
    }
    for (auto const& [name, value] : ci_outputs(summary)) {
      out << "##vso[task.setvariable variable=" << pipelines_name(name) << ";isOutput=true]"
          << azure_pipelines_value(value) << '\n';
    }
  }
  out << std::flush;
}

void publish_verification_to_ci(std::string const& broken_link,
                                std::string const& problem,
                                CiSystem system,
                                core::Environment const& environment,
                                std::ostream& out,
                                bool out_is_json) {
  std::vector<std::pair<std::string, std::string>> outputs{
      {"verified", broken_link.empty() ? "true" : "false"}};
  if (!broken_link.empty()) {
    outputs.emplace_back("broken-link", broken_link);
  }
  if (system == CiSystem::GitHubActions) {
    if (auto file = open_for_append(environment, "GITHUB_OUTPUT"); file.is_open()) {
      for (auto const& [name, value] : outputs) {
        file << name << '=' << value << '\n';
      }
    }
    if (!out_is_json && !broken_link.empty()) {
      out << "::error title=" << github_property("wi-setup verify: " + broken_link)
          << "::" << github_data(problem) << '\n';
    }
  } else if (system == CiSystem::AzurePipelines && !out_is_json) {
    if (!broken_link.empty()) {
      out << "##vso[task.logissue type=error]" << azure_pipelines_value(problem) << '\n';
    }
    for (auto const& [name, value] : outputs) {
      out << "##vso[task.setvariable variable=" << pipelines_name(name) << ";isOutput=true]"
          << azure_pipelines_value(value) << '\n';
    }
  }
  out << std::flush;
}

void announce_error(CiSystem system, std::string_view message, std::ostream& out) {
  if (system == CiSystem::GitHubActions) {
    out << "::error title=wi-setup::" << github_data(message) << '\n' << std::flush;
  } else if (system == CiSystem::AzurePipelines) {
    out << "##vso[task.logissue type=error]" << azure_pipelines_value(message) << '\n'
        << std::flush;
  }
}

} // namespace wisetup::cli
