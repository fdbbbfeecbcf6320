// Tokens from the signed-in Azure CLI (reference §9): `az account get-access-token`, run without a
// shell and with every value checked before it reaches argv. stdout may hold a token, so no
// message ever quotes it; stderr's first line is what az says went wrong.
#include "identity/token_expiry.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/identity/azure_cli_credential.hpp>
#include <wisetup/identity/credential_unavailable.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <string_view>

namespace wisetup::identity {
namespace {

/// Long enough for any sentence az writes, short enough to keep a message readable.
constexpr std::size_t k_max_error_line = 300;

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

/// The characters the Azure SDKs allow in a scope before it reaches az's command line.
bool is_safe_scope(std::string_view scope) {
  // No leading '-': az would read the value as an option.
  return !scope.empty() && scope.front() != '-' &&
         std::all_of(scope.begin(), scope.end(), [](char c) {
           return is_alnum(c) || c == '.' || c == '-' || c == ':' || c == '/' || c == '_';
         });
}

/// A tenant is a GUID or a domain name.
bool is_safe_tenant(std::string_view tenant) {
  return (tenant.empty() || tenant.front() != '-') &&
         std::all_of(tenant.begin(), tenant.end(), [](char c) {
           return is_alnum(c) || c == '.' || c == '-';
         });
}

/// The first non-blank line of `text`, trimmed and bounded.
std::string first_line(std::string_view text) {
  while (!text.empty()) {
    auto const end = text.find('\n');
    auto const line = core::trimmed(text.substr(0, end));
    if (!line.empty()) {
      std::string result(line.substr(0, k_max_error_line));
      return line.size() > k_max_error_line ? result + "..." : result;
    }
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return {};
}

/// "13 s" or "1500 ms".
std::string duration_text(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0) {
    return std::to_string(duration.count() / 1000) + " s";
  }
  return std::to_string(duration.count()) + " ms";
}

/// Reads `count` digits at `at` into `value`.
bool read_number(std::string_view text, std::size_t at, std::size_t count, int& value) {
  if (at + count > text.size()) {
    return false;
  }
  auto const* first = text.data() + at;
  auto const [end, error] = std::from_chars(first, first + count, value);
  return error == std::errc{} && end == first + count;
}

/// az's expiresOn: "YYYY-MM-DD HH:MM:SS[.ffffff]" in the machine's local time (no zone), as
/// Python's datetime.fromtimestamp prints it. mktime decides whether daylight saving applies.
std::optional<std::chrono::system_clock::time_point> parse_local_time(std::string_view text) {
  std::tm fields{};
  int year = 0;
  int month = 0;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':' || !read_number(text, 0, 4, year) || !read_number(text, 5, 2, month) ||
      !read_number(text, 8, 2, fields.tm_mday) || !read_number(text, 11, 2, fields.tm_hour) ||
      !read_number(text, 14, 2, fields.tm_min) || !read_number(text, 17, 2, fields.tm_sec)) {
    return std::nullopt;
  }
  auto const fraction = text.substr(19);
  if (!fraction.empty() && (fraction.front() != '.' || fraction.size() == 1 ||
                            !std::all_of(fraction.begin() + 1, fraction.end(), [](char c) {
                              return std::isdigit(static_cast<unsigned char>(c)) != 0;
                            }))) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || fields.tm_mday < 1 || fields.tm_mday > 31 || fields.tm_hour > 23 ||
      fields.tm_min > 59 || fields.tm_sec > 60) {
    return std::nullopt;
  }
  fields.tm_year = year - 1900;
  fields.tm_mon = month - 1;
  fields.tm_isdst = -1;
  std::time_t const seconds = std::mktime(&fields);
  if (seconds == static_cast<std::time_t>(-1)) {
    return std::nullopt;
  }
  // The fraction is dropped: a token's expiry needs no sub-second precision. A year such as 9999
  // is refused, not overflowed.
  return detail::epoch_time(seconds);
}

std::string const k_get_token_command = "az account get-access-token";

} // namespace

AzureCliCredential::AzureCliCredential(std::shared_ptr<ProcessRunner const> runner,
                                       std::string tenant_id,
                                       std::shared_ptr<core::Clock> clock,
                                       std::chrono::milliseconds timeout)
    : m_runner(std::move(runner)), m_tenant_id(std::move(tenant_id)), m_clock(std::move(clock)),
      m_timeout(timeout) {}

std::string AzureCliCredential::describe() const {
  return m_tenant_id.empty() ? "Azure CLI (az)" : "Azure CLI (az, tenant " + m_tenant_id + ")";
}

http::AccessToken AzureCliCredential::get_token(std::string const& scope) const {
  // Checked although no shell is involved: az itself parses its arguments, and a value starting
  // with "-" or holding spaces must not become an option of its own.
  if (!is_safe_scope(scope)) {
    throw core::InvalidInput("the scope \"" + scope +
                             "\" cannot be passed to the Azure CLI: only letters, digits and "
                             ". - : / _ are allowed; check the cloud's endpoints (--cloud)");
  }
  if (!is_safe_tenant(m_tenant_id)) {
    throw core::InvalidInput("the tenant \"" + m_tenant_id +
                             "\" is not a GUID or a domain name; set AZURE_TENANT_ID (or "
                             "--tenant) to the id Azure shows, for example "
                             "00000000-0000-0000-0000-000000000000 or contoso.onmicrosoft.com");
  }
  std::vector<std::string> argv{
      "az", "account", "get-access-token", "--output", "json", "--scope", scope};
  if (!m_tenant_id.empty()) {
    argv.emplace_back("--tenant");
    argv.push_back(m_tenant_id);
  }

  auto const output = m_runner->run(argv, m_timeout);
  if (output.not_found) {
    throw CredentialUnavailable("Azure CLI: az is not installed (no az on PATH); install the Azure "
                                "CLI and run az login, or choose another --auth");
  }
  if (output.timed_out) {
    throw core::AuthenticationError("Azure CLI: " + k_get_token_command +
                                    " did not finish within " + duration_text(m_timeout) +
                                    " and was stopped; run it yourself to see what it waits for");
  }
  if (output.exit_code != 0) {
    // az has no machine-readable way to say "signed out"; its advice to run `az login` is the
    // signal every Azure SDK uses.
    if (output.err.find("az login") != std::string::npos) {
      throw CredentialUnavailable(
          "Azure CLI: not signed in; run az login" +
          (m_tenant_id.empty() ? std::string{} : " --tenant " + m_tenant_id));
    }
    auto reason = first_line(output.err);
    if (reason.empty()) {
      reason = "it gave no reason; run it yourself to see what goes wrong.";
    } else if (reason.back() != '.') {
      reason += '.';
    }
    throw core::AuthenticationError("Azure CLI: " + k_get_token_command + " failed (exit code " +
                                    std::to_string(output.exit_code) + "): " + reason);
  }

  auto const body = nlohmann::json::parse(output.out, nullptr, /*allow_exceptions=*/false);
  auto const token = body.is_object() ? body.find("accessToken") : body.end();
  if (!body.is_object() || token == body.end() || !token->is_string() ||
      token->get<std::string>().empty()) {
    throw core::AuthenticationError("Azure CLI: " + k_get_token_command +
                                    " printed no accessToken; run it yourself to check that az "
                                    "works, or update the Azure CLI");
  }
  std::optional<std::chrono::system_clock::time_point> expires_on;
  if (auto const epoch = body.find("expires_on"); epoch != body.end()) {
    expires_on = detail::json_epoch(*epoch); // az 2.54 and later: unambiguous
  }
  if (auto const local = body.find("expiresOn");
      !expires_on && local != body.end() && local->is_string()) {
    expires_on = parse_local_time(local->get<std::string>());
  }
  if (!expires_on) {
    throw core::AuthenticationError("Azure CLI: " + k_get_token_command +
                                    " printed no readable expires_on or expiresOn; update the "
                                    "Azure CLI");
  }
  spdlog::debug(
      "Azure CLI token for {} valid for {} s",
      scope,
      std::chrono::duration_cast<std::chrono::seconds>(*expires_on - m_clock->wall_now()).count());
  return http::AccessToken{token->get<std::string>(), *expires_on};
}

std::optional<AzureCliProfile> read_azure_cli_profile(ProcessRunner const& runner,
                                                      std::chrono::milliseconds timeout) {
  auto const output = runner.run({"az", "account", "show", "--output", "json"}, timeout);
  if (output.not_found || output.timed_out || output.exit_code != 0) {
    spdlog::debug("no Azure CLI profile: {}",
                  output.not_found   ? "az is not installed"
                  : output.timed_out ? "az account show timed out"
                                     : "az account show failed: " + first_line(output.err));
    return std::nullopt;
  }
  auto const body = nlohmann::json::parse(output.out, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    spdlog::debug("no Azure CLI profile: az account show printed no JSON object");
    return std::nullopt;
  }
  auto const id = body.find("id");
  auto const tenant = body.find("tenantId");
  if (id == body.end() || !id->is_string() || tenant == body.end() || !tenant->is_string()) {
    spdlog::debug("no Azure CLI profile: az account show printed no id or tenantId");
    return std::nullopt;
  }
  return AzureCliProfile{id->get<std::string>(), tenant->get<std::string>()};
}

} // namespace wisetup::identity
