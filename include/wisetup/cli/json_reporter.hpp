#pragma once

#include <wisetup/cli/reporter.hpp>

#include <nlohmann/json.hpp>

#include <iosfwd>

namespace wisetup::cli {

/// `--output json`: nothing while the run goes, then one JSON document on stdout in the schema the
/// README documents (schemaVersion 1). Errors are in the document and, for the job's log, on
/// stderr.
class JsonReporter final : public Reporter {
public:
  JsonReporter(ConfirmationPrompt prompt, std::ostream& out, std::ostream& err);
  void finish(RunSummary const& summary) override;

  [[nodiscard]] static nlohmann::ordered_json to_json(RunSummary const& summary);

private:
  std::ostream& m_out;
  std::ostream& m_err;
};

} // namespace wisetup::cli
