#include "sim/client_assertion.hpp"

#include "sim/encoding.hpp"
#include "sim/entra_error.hpp"
#include "sim/hosted_issuers.hpp"
#include "sim/jwt.hpp"
#include "sim/time_text.hpp"

#include <algorithm>

namespace wisetup::sim {
namespace {

// Entra tolerates this much clock skew on "nbf".
constexpr long long k_skew_seconds = 300;
// A certificate assertion may be valid for at most an hour.
constexpr long long k_max_assertion_lifetime = 3600;

constexpr char const* k_fic_advice =
    " Please check your federated identity credential Subject, Audience and Issuer against the "
    "presented assertion. https://learn.microsoft.com/entra/workload-id/"
    "workload-identity-federation";

[[noreturn]] void invalid_jwt(std::string const& why) {
  throw EntraError{400, "invalid_request", 50027, "Invalid JWT token. " + why};
}

std::string string_claim(nlohmann::json const& claims, char const* name) {
  auto const found = claims.find(name);
  return found != claims.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

// "aud" as a list: JWT allows a string or an array of strings.
std::vector<std::string> audiences_of(nlohmann::json const& claims) {
  std::vector<std::string> audiences;
  auto const found = claims.find("aud");
  if (found == claims.end()) {
    return audiences;
  }
  if (found->is_string()) {
    audiences.push_back(found->get<std::string>());
  } else if (found->is_array()) {
    for (auto const& item : *found) {
      if (item.is_string()) {
        audiences.push_back(item.get<std::string>());
      }
    }
  }
  return audiences;
}

std::string utc_of(long long seconds) {
  return utc_seconds(std::chrono::system_clock::time_point{std::chrono::seconds{seconds}});
}

// exp (required), nbf (optional unless `require_nbf`) against now, with Entra's wording.
void check_time_range(nlohmann::json const& claims,
                      bool require_nbf,
                      std::optional<long long> max_lifetime) {
  auto const expires = numeric_date(claims, "exp");
  if (!expires) {
    invalid_jwt("The client assertion has no numeric 'exp' claim.");
  }
  auto const not_before = numeric_date(claims, "nbf");
  if (require_nbf && !not_before) {
    invalid_jwt("The client assertion has no numeric 'nbf' claim.");
  }
  long long const now = unix_seconds(std::chrono::system_clock::now());
  bool const too_early = not_before && *not_before > now + k_skew_seconds;
  bool const too_long = max_lifetime && *expires > now + *max_lifetime;
  if (*expires <= now || too_early || too_long) {
    std::string description =
        "Client assertion is not within its valid time range. Current time: " + utc_of(now) + ", ";
    if (not_before) {
      description += "assertion valid from " + utc_of(*not_before) + ", ";
    }
    description += "expiry time of assertion " + utc_of(*expires) + ".";
    if (too_long) {
      description += " A client assertion may be valid for at most one hour.";
    }
    throw EntraError{401, "invalid_client", 700024, description};
  }
}

std::string hex_of(std::string const& bytes) {
  static constexpr std::string_view k_hex = "0123456789ABCDEF";
  std::string out;
  for (char const byte : bytes) {
    auto const u = static_cast<unsigned char>(byte);
    out.push_back(k_hex[u >> 4u]);
    out.push_back(k_hex[u & 0x0Fu]);
  }
  return out;
}

AssertionSignIn certificate_assertion(ServicePrincipal const& principal,
                                      JsonWebToken const& token,
                                      std::vector<std::string> const& token_endpoints) {
  std::string const algorithm = string_claim(token.header, "alg");
  if (algorithm != "RS256" && algorithm != "PS256") {
    invalid_jwt("The client assertion is signed with '" + algorithm +
                "'; sign certificate assertions with RS256 or PS256.");
  }
  std::string const x5t_s256 = string_claim(token.header, "x5t#S256");
  std::string const x5t = string_claim(token.header, "x5t");
  PublicCertificate const* certificate = nullptr;
  for (auto const& registered : principal.certificates) {
    if ((!x5t_s256.empty() && registered->x5t_s256() == x5t_s256) ||
        (!x5t.empty() && registered->x5t() == x5t)) {
      certificate = registered.get();
      break;
    }
  }
  if (certificate == nullptr) {
    std::string presented = "none (the header has neither x5t#S256 nor x5t)";
    if (auto const bytes = base64url_decode(!x5t_s256.empty() ? x5t_s256 : x5t);
        bytes && !bytes->empty()) {
      presented = hex_of(*bytes);
      presented.insert(presented.begin(), '\'');
      presented.push_back('\'');
    }
    throw EntraError{401,
                     "invalid_client",
                     700027,
                     "The certificate with identifier used to sign the client assertion is not "
                     "registered on application. [Reason - The key was not found., Thumbprint of "
                     "key used by client: " +
                         presented +
                         ", Please visit the Azure Portal, Graph Explorer or directly use MS Graph "
                         "to see configured keys for app Id '" +
                         principal.client_id + "'.]"};
  }
  if (certificate->expired()) {
    throw EntraError{401,
                     "invalid_client",
                     700027,
                     "The certificate with identifier used to sign the client assertion is "
                     "expired on application (thumbprint '" +
                         certificate->thumbprint() + "'). Register a new certificate."};
  }
  if (!verify_jws_signature(
          certificate->public_key(), algorithm, token.signing_input, token.signature)) {
    throw EntraError{401,
                     "invalid_client",
                     700027,
                     "Client assertion failed signature validation. [Reason - The signature does "
                     "not verify with the certificate its header names (thumbprint '" +
                         certificate->thumbprint() + "').]"};
  }
  std::string const subject = string_claim(token.claims, "sub");
  if (!iequals(subject, principal.client_id)) {
    invalid_jwt("The client assertion's 'sub' claim ('" + subject +
                "') must equal its 'iss' claim, the client id '" + principal.client_id + "'.");
  }
  auto const audiences = audiences_of(token.claims);
  bool const audience_ok =
      std::any_of(audiences.begin(), audiences.end(), [&](std::string const& audience) {
        return std::find(token_endpoints.begin(), token_endpoints.end(), audience) !=
               token_endpoints.end();
      });
  if (!audience_ok) {
    invalid_jwt("The client assertion's audience ('" +
                (audiences.empty() ? std::string("none") : audiences.front()) +
                "') is not this token endpoint; set 'aud' to '" + token_endpoints.front() + "'.");
  }
  check_time_range(token.claims, /*require_nbf=*/true, k_max_assertion_lifetime);
  return {principal.object_id, principal.client_id, {}};
}

AssertionSignIn federated_assertion(SimulatorContext& context,
                                    ServicePrincipal const* principal,
                                    std::optional<IdentityRef> const& identity,
                                    JsonWebToken const& token) {
  std::vector<FederatedCredential> credentials;
  if (principal != nullptr) {
    credentials = principal->federated_credentials;
  } else {
    for (auto const* resource : context.state.identity_credentials(identity->key)) {
      nlohmann::json const properties = resource->value("properties", nlohmann::json::object());
      FederatedCredential credential{resource->value("name", ""),
                                     properties.value("issuer", ""),
                                     properties.value("subject", ""),
                                     {}};
      for (auto const& audience : properties.value("audiences", nlohmann::json::array())) {
        if (audience.is_string()) {
          credential.audiences.push_back(audience.get<std::string>());
        }
      }
      credentials.push_back(std::move(credential));
    }
  }
  std::string const issuer = string_claim(token.claims, "iss");
  std::string const subject = string_claim(token.claims, "sub");
  auto const audiences = audiences_of(token.claims);
  std::string const audience_text = audiences.empty() ? std::string{} : audiences.front();
  if (subject.empty()) {
    invalid_jwt("The client assertion has no 'sub' claim.");
  }
  if (credentials.empty()) {
    throw EntraError{400,
                     "invalid_request",
                     70021,
                     "No matching federated identity record found for presented assertion. "
                     "Assertion Issuer: '" +
                         issuer + "'. Assertion Subject: '" + subject + "'. Assertion Audience: '" +
                         audience_text +
                         "'. The application or identity has no federated identity credentials." +
                         k_fic_advice};
  }
  std::vector<FederatedCredential const*> matching;
  for (auto const& credential : credentials) {
    if (credential.issuer == issuer) {
      matching.push_back(&credential);
    }
  }
  if (matching.empty()) {
    throw EntraError{
        400,
        "invalid_request",
        700211,
        "No matching federated identity record found for presented assertion issuer '" + issuer +
            "'." + k_fic_advice};
  }
  std::erase_if(matching, [&](auto const* credential) { return credential->subject != subject; });
  if (matching.empty()) {
    throw EntraError{400,
                     "invalid_request",
                     700213,
                     "No matching federated identity record found for presented assertion "
                     "subject '" +
                         subject + "'." + k_fic_advice};
  }
  std::erase_if(matching, [&](auto const* credential) {
    return std::none_of(audiences.begin(), audiences.end(), [&](std::string const& audience) {
      return std::find(credential->audiences.begin(), credential->audiences.end(), audience) !=
             credential->audiences.end();
    });
  });
  if (matching.empty()) {
    throw EntraError{400,
                     "invalid_request",
                     700212,
                     "No matching federated identity record found for presented assertion "
                     "audience '" +
                         audience_text + "'." + k_fic_advice};
  }
  RsaSigningKey const* key = hosted_issuer_key(context, issuer);
  if (key == nullptr) {
    throw EntraError{400,
                     "invalid_request",
                     50166,
                     "Request to External OIDC endpoint failed. The issuer '" + issuer +
                         "' serves no OpenID configuration (wi-setup-sim can only check tokens of "
                         "the issuers it hosts: enabled cluster issuers and " +
                         github_issuer_url(context.base_url) + ")."};
  }
  std::string const key_id = string_claim(token.header, "kid");
  if (!key_id.empty() && key_id != key->key_id()) {
    throw EntraError{401,
                     "invalid_client",
                     700027,
                     "Client assertion failed signature validation. [Reason - The key was not "
                     "found., Key ID: '" +
                         key_id + "', Issuer: '" + issuer + "']"};
  }
  if (!verify_jws_signature(
          key->key(), string_claim(token.header, "alg"), token.signing_input, token.signature)) {
    throw EntraError{401,
                     "invalid_client",
                     700027,
                     "Client assertion failed signature validation. [Reason - The signature does "
                     "not verify with the keys of issuer '" +
                         issuer + "'.]"};
  }
  check_time_range(token.claims, /*require_nbf=*/false, std::nullopt);
  if (principal != nullptr) {
    return {principal->object_id, principal->client_id, {}};
  }
  return {identity->property("principalId"),
          identity->property("clientId"),
          identity->resource->value("id", identity->key)};
}

} // namespace

AssertionSignIn authenticate_client_assertion(SimulatorContext& context,
                                              std::string const& client_id,
                                              std::string const& assertion,
                                              std::vector<std::string> const& token_endpoints) {
  State const& state = context.state;
  auto const token = parse_jwt(assertion);
  if (!token) {
    invalid_jwt("The client assertion is not a JSON Web Token (three base64url parts: header, "
                "claims, signature).");
  }
  std::string const issuer = string_claim(token->claims, "iss");
  if (issuer.empty()) {
    invalid_jwt("The client assertion has no 'iss' claim.");
  }
  ServicePrincipal const* principal = state.principal_by_client_id(client_id);
  std::optional<IdentityRef> identity;
  if (principal == nullptr) {
    identity = state.identity_by("clientId", client_id);
  }
  if (principal == nullptr && !identity) {
    throw EntraError{400,
                     "unauthorized_client",
                     700016,
                     "Application with identifier '" + client_id +
                         "' was not found in the directory '" + state.tenant_id +
                         "'. This can happen if the application has not been installed by the "
                         "administrator of the tenant or consented to by any user in the tenant. "
                         "You may have sent your authentication request to the wrong tenant."};
  }
  if (iequals(issuer, client_id)) {
    if (principal == nullptr) {
      throw EntraError{401,
                       "invalid_client",
                       700027,
                       "Client assertion failed signature validation: the managed identity '" +
                           client_id + "' has no certificates; use a federated token."};
    }
    return certificate_assertion(*principal, *token, token_endpoints);
  }
  return federated_assertion(context, principal, identity, *token);
}

} // namespace wisetup::sim
