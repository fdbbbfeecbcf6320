// OIDC discovery of an issuer (the AKS OIDC issuer): GET {issuer}.well-known/openid-configuration
// and GET its jwks_uri. Public documents, fetched without a token.
#include <wisetup/core/error.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/service_error.hpp>
#include <wisetup/http/url.hpp>
#include <wisetup/identity/oidc_discovery.hpp>

#include <nlohmann/json.hpp>

namespace wisetup::identity {
namespace {

using json = nlohmann::json;

[[noreturn]] void throw_bad_answer(int status, std::string const& url, std::string const& what) {
  http::ServiceFault fault;
  fault.status = status;
  fault.method = "GET";
  fault.url = http::url_without_query(url);
  fault.message = what;
  auto sentence = "The OIDC issuer answered GET " + fault.url + " (" + std::to_string(status) +
                  ") " + what +
                  "; check that the issuer URL is the cluster's OIDC issuer and that the issuer "
                  "is enabled.";
  throw http::ServiceError(sentence, std::move(fault));
}

struct JsonAnswer {
  int status = 0;
  json body;
};

/// GETs `url` and returns its JSON object; throws as fetch_oidc_discovery documents.
JsonAnswer
get_json(http::Pipeline const& pipeline, std::string const& url, std::string const& what) {
  (void)http::parse_url(url); // InvalidInput for anything but an absolute http(s) URL
  http::Request request{http::Method::Get, url, {}, {}};
  request.headers.set("Accept", "application/json");
  http::Response response;
  try {
    response = pipeline.send(std::move(request));
  } catch (http::TransportError const& error) {
    throw http::TransportError("cannot reach the OIDC issuer's " + what + " at " +
                               http::url_without_query(url) + ": " + error.what());
  }
  if (!response.ok()) {
    throw_bad_answer(response.status, url, "instead of its " + what);
  }
  auto body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    throw_bad_answer(response.status, url, "with a " + what + " that is not a JSON object");
  }
  return JsonAnswer{response.status, std::move(body)};
}

std::string string_member(json const& object, char const* name) {
  auto const found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

} // namespace

OidcDiscovery fetch_oidc_discovery(http::Pipeline const& pipeline, std::string const& issuer_url) {
  auto base = issuer_url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  auto const discovery_url = base + "/.well-known/openid-configuration";
  auto const [status, document] = get_json(pipeline, discovery_url, "discovery document");

  OidcDiscovery discovery;
  discovery.issuer = string_member(document, "issuer");
  discovery.jwks_uri = string_member(document, "jwks_uri");
  if (discovery.issuer.empty() || discovery.jwks_uri.empty()) {
    throw_bad_answer(status,
                     discovery_url,
                     std::string("with a discovery document without ") +
                         (discovery.issuer.empty() ? "issuer" : "jwks_uri"));
  }

  auto const jwks = get_json(pipeline, discovery.jwks_uri, "signing keys (JWKS)");
  auto const keys = jwks.body.find("keys");
  if (keys == jwks.body.end() || !keys->is_array()) {
    throw_bad_answer(jwks.status, discovery.jwks_uri, "with a JWKS without keys");
  }
  discovery.key_count = keys->size();
  return discovery;
}

} // namespace wisetup::identity
