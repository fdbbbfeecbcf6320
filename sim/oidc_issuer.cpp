#include "sim/oidc_issuer.hpp"

#include "sim/cluster_operations.hpp"
#include "sim/http_answers.hpp"

namespace wisetup::sim {
namespace {

constexpr std::string_view k_discovery_suffix = ".well-known/openid-configuration";
constexpr std::string_view k_jwks_suffix = "openid/v1/jwks";

bool has_issuer(State const& state, std::string const& issuer) {
  static nlohmann::json::json_pointer const k_enabled{"/properties/oidcIssuerProfile/enabled"};
  static nlohmann::json::json_pointer const k_url{"/properties/oidcIssuerProfile/issuerURL"};
  for (auto const& [key, resource] : state.resources) {
    if (resource.contains(k_url) && resource.value(k_enabled, false) &&
        resource.value(k_url, std::string{}) == issuer) {
      return true;
    }
  }
  return false;
}

} // namespace

void handle_oidc(SimulatorContext& context,
                 httplib::Request const& request,
                 httplib::Response& response) {
  std::string const& path = request.path;
  bool const discovery = path.ends_with(k_discovery_suffix);
  bool const jwks = path.ends_with(k_jwks_suffix);
  std::string const issuer =
      context.base_url + path.substr(0,
                                     path.size() - (discovery ? k_discovery_suffix.size()
                                                              : (jwks ? k_jwks_suffix.size() : 0)));
  std::lock_guard lock{context.mutex};
  settle_cluster_operations(context);
  if (request.method != "GET" || !(discovery || jwks) || !has_issuer(context.state, issuer)) {
    response.status = 404;
    response.set_content("The specified resource does not exist.", "text/plain");
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
  if (!context.oidc_signing_key) {
    context.oidc_signing_key = std::make_unique<RsaSigningKey>();
  }
  send_json(response, 200, {{"keys", {context.oidc_signing_key->public_jwk()}}});
}

} // namespace wisetup::sim
