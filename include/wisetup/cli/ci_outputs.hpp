#pragma once

#include <wisetup/cli/run_summary.hpp>
#include <wisetup/core/environment.hpp>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace wisetup::cli {

/// The CI system a run is a step of, told by its environment.
enum class CiSystem {
  None,
  GitHubActions,  ///< GITHUB_ACTIONS=true
  AzurePipelines, ///< TF_BUILD=True
};

[[nodiscard]] CiSystem detect_ci(core::Environment const& environment);

/// The values a later pipeline step may use, in order: client-id, principal-id, tenant-id,
/// issuer-url, as far as the run knows them.
[[nodiscard]] std::vector<std::pair<std::string, std::string>>
ci_outputs(RunSummary const& summary);

/// Tells the CI system about a finished run of steps.
/// - GitHub Actions: one `::group::` per step with its detail and changes, `::error::` for each
///   failure and `::warning::` for each warning (on `out`, unless `out` carries a JSON document);
///   the outputs appended to $GITHUB_OUTPUT and a Markdown summary to $GITHUB_STEP_SUMMARY.
/// - Azure Pipelines: `##[group]` per step, `##vso[task.logissue]` and
///   `##vso[task.setvariable variable=NAME;isOutput=true]` for each output, named in camel case
///   (clientId, principalId, tenantId, issuerUrl), since variable names take no '-'.
/// Throws core::InvalidInput (exit 2) naming the file when $GITHUB_OUTPUT or $GITHUB_STEP_SUMMARY
/// cannot be written.
void publish_to_ci(RunSummary const& summary,
                   CiSystem system,
                   core::Environment const& environment,
                   std::ostream& out,
                   bool out_is_json);

/// verify's result for a later pipeline step: `verified` (true or false) and, when a link is
/// broken, `broken-link` (its name) in $GITHUB_OUTPUT or as output variables (`verified`,
/// `brokenLink`), with an error annotation naming the link, what is wrong and the fix.
void publish_verification_to_ci(std::string const& broken_link,
                                std::string const& problem,
                                CiSystem system,
                                core::Environment const& environment,
                                std::ostream& out,
                                bool out_is_json);

/// An error that ends a run before any step (bad input, no credential) as a CI annotation:
/// `::error::` or `##vso[task.logissue type=error]`; nothing outside CI.
void announce_error(CiSystem system, std::string_view message, std::ostream& out);

} // namespace wisetup::cli
