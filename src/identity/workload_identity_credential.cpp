// Workload identity federation: a client assertion that is an external OIDC token, either the
// Kubernetes projected service account token (AZURE_FEDERATED_TOKEN_FILE) or the GitHub Actions
// job token (GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange with
// Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN -> {"value": "<jwt>"}).
#include "identity/token_endpoint.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/client_assertion_credential.hpp>
#include <wisetup/identity/workload_identity_credential.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <fstream>
#include <system_error>

namespace wisetup::identity {
namespace {

/// A service account token is a few KiB; anything far larger is not one.
constexpr std::size_t k_max_token_size = 1024 * 1024;
constexpr char const* k_github_audience = "api%3A%2F%2FAzureADTokenExchange";

/// The token file's content, read now: kubelet rewrites it before the token expires.
std::string read_token_file(std::string const& path) {
  std::ifstream file{path, std::ios::binary};
  if (!file) {
    auto const reason = std::error_code(errno, std::generic_category()).message();
    throw core::AuthenticationError(
        "cannot read the federated token file " + path +
        " (AZURE_FEDERATED_TOKEN_FILE): " + reason +
        "; check that the pod's service account token volume is mounted (the pod needs the label "
        "azure.workload.identity/use: \"true\") or unset AZURE_FEDERATED_TOKEN_FILE");
  }
  std::string content;
  std::array<char, 4096> buffer{};
  while (file.read(buffer.data(), buffer.size()) || file.gcount() > 0) {
    content.append(buffer.data(), static_cast<std::size_t>(file.gcount()));
    if (content.size() > k_max_token_size) {
      throw core::AuthenticationError("the federated token file " + path +
                                      " (AZURE_FEDERATED_TOKEN_FILE) is larger than 1 MiB, so it "
                                      "is not a token; set the variable to the token's path");
    }
  }
  content = std::string(core::trimmed(content));
  if (content.empty()) {
    throw core::AuthenticationError("the federated token file " + path +
                                    " (AZURE_FEDERATED_TOKEN_FILE) is empty; check that the pod's "
                                    "service account token volume is mounted and refreshed");
  }
  return content;
}

/// The GitHub Actions job's OIDC token, asked for anew at every call.
class GithubTokenSource {
public:
  GithubTokenSource(std::string request_url,
                    std::string request_token,
                    std::shared_ptr<http::Transport> transport,
                    std::shared_ptr<core::Clock> clock,
                    http::RetryOptions retry)
      : m_url(std::move(request_url)), m_token(std::move(request_token)) {
    bool https = false;
    try {
      https = http::parse_url(m_url).scheme == "https";
    } catch (core::InvalidInput const&) {
      https = false;
    }
    if (!https) {
      throw core::InvalidInput("ACTIONS_ID_TOKEN_REQUEST_URL is not an https:// URL, and the job "
                               "token is not sent in clear; unset it outside GitHub Actions");
    }
    m_url += m_url.find('?') == std::string::npos ? "?" : "&";
    m_url += std::string("audience=") + k_github_audience;
    http::PipelineOptions options;
    options.retry = std::move(retry);
    // No bearer policy: the job token goes in by hand, to this one URL only.
    m_pipeline = http::make_pipeline(options, std::move(transport), nullptr, {}, std::move(clock));
  }

  [[nodiscard]] std::string fetch() const {
    http::Request request;
    request.method = http::Method::Get;
    request.url = m_url;
    request.headers.set("Authorization", "Bearer " + m_token);
    request.headers.set("Accept", "application/json");
    auto const where = http::url_without_query(m_url);
    http::Response response;
    try {
      response = m_pipeline->send(std::move(request));
    } catch (http::TransportError const& error) {
      throw http::TransportError(detail::without_secrets(
          "cannot get the GitHub Actions OIDC token from " + where + ": " + error.what(),
          {m_token}));
    }
    if (!response.ok()) {
      throw core::AuthenticationError(
          "GitHub Actions refused the OIDC token request to " + where + " (HTTP " +
          std::to_string(response.status) +
          "); give the job `permissions: id-token: write` and run wi-setup within that job");
    }
    auto const body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    auto const value = body.is_object() ? body.find("value") : body.end();
    if (!body.is_object() || value == body.end() || !value->is_string() ||
        core::trimmed(value->get_ref<std::string const&>()).empty()) {
      throw core::AuthenticationError("GitHub Actions answered the OIDC token request to " + where +
                                      " without a token (no \"value\"); check that "
                                      "ACTIONS_ID_TOKEN_REQUEST_URL is the one the runner set");
    }
    return std::string(core::trimmed(value->get_ref<std::string const&>()));
  }

private:
  std::string m_url;
  std::string m_token;
  std::shared_ptr<http::Pipeline> m_pipeline;
};

std::string no_matching_credential(std::string const& client_id, bool github) {
  return "no federated identity credential of the identity " + client_id +
         " matches the token's issuer, subject and audience (api://AzureADTokenExchange): compare "
         "them with its federated credentials (" +
         (github ? std::string("GitHub's issuer is https://token.actions.githubusercontent.com, "
                               "its subject repo:<org>/<repo>:ref:refs/heads/<branch> or "
                               "repo:<org>/<repo>:environment:<name>")
                 : std::string("a pod's subject is system:serviceaccount:<namespace>:<name>, its "
                               "issuer the cluster's OIDC issuer URL")) +
         "; a new federated credential can take a few minutes to apply)";
}

} // namespace

WorkloadIdentityCredential::WorkloadIdentityCredential(WorkloadIdentityOptions options,
                                                       std::shared_ptr<http::Transport> transport,
                                                       std::shared_ptr<core::Clock> clock) {
  bool const github = options.token_file.empty();
  ClientAssertionCallback assertion;
  ClientAssertionOptions assertion_options;
  if (!github) {
    assertion = [path = options.token_file] {
      return read_token_file(path);
    };
    assertion_options.description = "workload identity (AZURE_CLIENT_ID=" + options.client_id +
                                    ", AZURE_FEDERATED_TOKEN_FILE=" + options.token_file + ")";
    assertion_options.fallback_hint =
        "check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE";
  } else if (!options.github_request_url.empty() && !options.github_request_token.empty()) {
    auto source = std::make_shared<GithubTokenSource const>(std::move(options.github_request_url),
                                                            std::move(options.github_request_token),
                                                            transport,
                                                            clock,
                                                            options.retry);
    assertion = [source] {
      return source->fetch();
    };
    assertion_options.description =
        "workload identity (AZURE_CLIENT_ID=" + options.client_id + ", GitHub Actions OIDC token)";
    assertion_options.fallback_hint =
        "check AZURE_TENANT_ID, AZURE_CLIENT_ID and the job's id-token permission";
  } else {
    throw core::InvalidInput("workload identity needs a federated token: set "
                             "AZURE_FEDERATED_TOKEN_FILE, or run in a GitHub Actions job with "
                             "`permissions: id-token: write`");
  }
  assertion_options.hint = [client_id = options.client_id, path = options.token_file, github](
                               std::int64_t code) -> std::string {
    switch (code) {
    case 700024:
      return github ? "the GitHub Actions OIDC token was refused as expired or not yet valid: "
                      "check the runner's clock"
                    : "the federated token in " + path +
                          " was refused as expired or not yet valid: kubelet refreshes the "
                          "projected token, so check that the file is that volume and this "
                          "machine's clock";
    case 70021:
    case 700211:
    case 700212:
    case 700213:
      return no_matching_credential(client_id, github);
    default:
      return {};
    }
  };
  assertion_options.retry = options.retry;
  m_inner = std::make_shared<ClientAssertionCredential>(std::move(options.authority_host),
                                                        std::move(options.tenant_id),
                                                        std::move(options.client_id),
                                                        std::move(assertion),
                                                        std::move(transport),
                                                        std::move(clock),
                                                        std::move(assertion_options));
}

http::AccessToken WorkloadIdentityCredential::get_token(std::string const& scope) const {
  return m_inner->get_token(scope);
}

std::string WorkloadIdentityCredential::describe() const {
  return m_inner->describe();
}

} // namespace wisetup::identity
