#include "sim/oidc_issuer.hpp"

#include "sim/cluster_operations.hpp"
#include "sim/hosted_issuers.hpp"
#include "sim/http_answers.hpp"

namespace wisetup::sim {
namespace {

constexpr std::string_view k_discovery_suffix = ".well-known/openid-configuration";
constexpr std::string_view k_jwks_suffix = "openid/v1/jwks";
constexpr std::string_view k_github_prefix = "/github/.well-known/";
constexpr std::string_view k_github_jwks_suffix = ".well-known/jwks";

void not_found(httplib::Response& response) {
  response.status = 404;
  response.set_content("The specified resource does not exist.", "text/plain");
}

void github_issuer(SimulatorContext& context,
                   httplib::Request const& request,
                   httplib::Response& response) {
  std::string const issuer = github_issuer_url(context.base_url);
  std::string const& path = request.path;
  bool const discovery = path == "/github/" + std::string(k_discovery_suffix);
  bool const jwks = path == "/github/" + std::string(k_github_jwks_suffix);
  if (request.method != "GET" || !(discovery || jwks)) {
    not_found(response);
    return;
  }
  if (discovery) {
    send_json(response,
              200,
              {{"issuer", issuer},
               {"jwks_uri", issuer + std::string(k_github_jwks_suffix)},
               {"subject_types_supported", {"public", "pairwise"}},
               {"response_types_supported", {"id_token"}},
               {"claims_supported",
                {"sub",
                 "aud",
                 "exp",
                 "iat",
                 "iss",
                 "jti",
                 "nbf",
                 "ref",
                 "ref_type",
                 "repository",
                 "repository_owner",
                 "run_id",
                 "run_attempt",
                 "actor",
                 "event_name",
                 "runner_environment"}},
               {"id_token_signing_alg_values_supported", {"RS256"}},
               {"scopes_supported", {"openid"}}});
    return;
  }
  std::lock_guard lock{context.mutex};
  send_json(response, 200, {{"keys", {hosted_issuer_key(context, issuer)->public_jwk()}}});
}

} // namespace

bool is_oidc_path(std::string const& path) {
  return path.rfind("/oidc/", 0) == 0 || path.rfind(k_github_prefix, 0) == 0;
}

void handle_oidc(SimulatorContext& context,
                 httplib::Request const& request,
                 httplib::Response& response) {
  std::string const& path = request.path;
  if (path.rfind(k_github_prefix, 0) == 0) {
    github_issuer(context, request, response);
    return;
  }
  bool const discovery = path.ends_with(k_discovery_suffix);
  bool const jwks = path.ends_with(k_jwks_suffix);
  std::string const issuer =
      context.base_url + path.substr(0,
                                     path.size() - (discovery ? k_discovery_suffix.size()
                                                              : (jwks ? k_jwks_suffix.size() : 0)));
  std::lock_guard lock{context.mutex};
  settle_cluster_operations(context);
  if (request.method != "GET" || !(discovery || jwks) ||
      !is_cluster_issuer(context.state, issuer)) {
    not_found(response);
    return;
  }
  if (discovery) {
    send_json(response,
              200,
              {{"issuer", issuer},
               {"jwks_uri", std::string(issuer).append(k_jwks_suffix)},
               {"response_types_supported", {"id_token"}},
               {"subject_types_supported", {"public"}},
               {"id_token_signing_alg_values_supported", {"RS256"}}});
    return;
  }
  send_json(response, 200, {{"keys", {hosted_issuer_key(context, issuer)->public_jwk()}}});
}

} // namespace wisetup::sim
