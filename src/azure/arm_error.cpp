#include <wisetup/azure/arm_error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/redaction.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <vector>

namespace wisetup::azure {
namespace {

std::string string_member(nlohmann::json const& object, char const* name) {
  if (!object.is_object()) {
    return {};
  }
  auto const found = object.find(name);
  if (found == object.end() || !found->is_string()) {
    return {};
  }
  return found->get<std::string>();
}

/// Without a trailing full stop, so that a clause can follow.
std::string clause(std::string text) {
  text = std::string(core::trimmed(text));
  while (!text.empty() && text.back() == '.') {
    text.pop_back();
  }
  return text;
}

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto const end = std::min(path.find('/', start), path.size());
    if (end > start) {
      segments.push_back(path.substr(start, end - start));
    }
    start = end + 1;
  }
  return segments;
}

/// The segment after the last `name` segment (case-insensitive), if any.
std::optional<std::string> segment_after(std::string_view path, std::string_view name) {
  auto const segments = path_segments(path);
  std::optional<std::string> found;
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    if (core::equals_ignoring_case(segments[i], name)) {
      found = std::string(segments[i + 1]);
    }
  }
  return found;
}

bool starts_with_icase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         core::equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

std::string service_message_or(http::ServiceFault const& fault, std::string fallback) {
  auto message = clause(fault.message);
  return message.empty() ? std::move(fallback) : message;
}

} // namespace

std::string url_path(std::string_view url) {
  auto path = std::string(url.substr(0, url.find_first_of("?#")));
  auto const scheme = path.find("://");
  if (scheme == std::string::npos) {
    return path;
  }
  auto const slash = path.find('/', scheme + 3);
  return slash == std::string::npos ? std::string("/") : path.substr(slash);
}

http::ServiceFault parse_arm_fault(http::Request const& request, http::Response const& response) {
  http::ServiceFault fault;
  fault.status = response.status;
  fault.request_id = response.headers.get("x-ms-request-id").value_or("");
  fault.method = std::string(http::to_string(request.method));
  fault.url = http::url_without_query(request.url);
  // Gateways answer 502/503/504 with HTML or nothing; only a JSON object is an envelope.
  auto const body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return fault;
  }
  auto const error = body.find("error");
  auto const& envelope = (error != body.end() && error->is_object()) ? *error : body;
  fault.code = string_member(envelope, "code");
  fault.message = string_member(envelope, "message");
  return fault;
}

std::string explain_arm_fault(http::ServiceFault const& fault) {
  auto const path = url_path(fault.url);
  auto const subscription = segment_after(path, "subscriptions").value_or("(unknown)");
  auto const& code = fault.code;

  if (core::equals_ignoring_case(code, "ResourceGroupNotFound")) {
    auto const group = segment_after(path, "resourceGroups").value_or("(unknown)");
    return "resource group " + group + " does not exist in subscription " + subscription +
           "; check --resource-group";
  }
  if (core::equals_ignoring_case(code, "SubscriptionNotFound")) {
    return "subscription " + subscription +
           " not found in this cloud; check --subscription/AZURE_SUBSCRIPTION_ID and --cloud";
  }
  if (core::equals_ignoring_case(code, "AuthorizationFailed") ||
      core::equals_ignoring_case(code, "LinkedAuthorizationFailed")) {
    // The service message names the missing action and the scope: keep it verbatim.
    return service_message_or(fault, "the signed-in principal lacks a permission") +
           "; grant the signed-in principal that permission";
  }
  if (core::equals_ignoring_case(code, "InvalidAuthenticationTokenAudience")) {
    return service_message_or(fault, "the access token is for another audience") +
           "; the token was requested for another cloud's Resource Manager: check --cloud";
  }
  if (core::equals_ignoring_case(code, "InvalidAuthenticationTokenTenant")) {
    return service_message_or(fault, "the access token is from another tenant") +
           "; set AZURE_TENANT_ID to the tenant that owns subscription " + subscription;
  }
  if (starts_with_icase(code, "InvalidAuthenticationToken") ||
      core::equals_ignoring_case(code, "ExpiredAuthenticationToken") || fault.status == 401) {
    return service_message_or(fault, "Azure did not accept the access token") +
           "; check AZURE_TENANT_ID, AZURE_CLIENT_ID and the credential, and that --cloud is the "
           "cloud of subscription " +
           subscription;
  }
  if (core::equals_ignoring_case(code, "MissingSubscriptionRegistration")) {
    auto const provider = segment_after(path, "providers");
    if (provider) {
      return "subscription " + subscription + " is not registered for the resource provider " +
             *provider + "; register the resource provider: az provider register --namespace " +
             *provider + " --subscription " + subscription;
    }
    return service_message_or(fault, "a resource provider is not registered") +
           "; register the resource provider: az provider register --namespace <namespace>";
  }
  if (fault.code.empty() && fault.message.empty()) {
    if (fault.status == 502 || fault.status == 503 || fault.status == 504) {
      return "Azure Resource Manager or a gateway in front of it failed without an error "
             "description; this is usually temporary: re-run wi-setup in a few minutes";
    }
    return "the answer carried no error description";
  }
  return service_message_or(fault, "the answer carried no error message");
}

std::string arm_error_sentence(http::ServiceFault const& fault) {
  auto sentence = "Azure refused " + fault.method + " " + url_path(fault.url) + " (" +
                  std::to_string(fault.status);
  if (!fault.code.empty()) {
    sentence += " " + fault.code;
  }
  sentence += "): " + explain_arm_fault(fault);
  if (!fault.request_id.empty()) {
    sentence += " (request id " + fault.request_id + ")";
  }
  return sentence + ".";
}

void throw_arm_error(http::Request const& request, http::Response const& response) {
  auto fault = parse_arm_fault(request, response);
  auto sentence = arm_error_sentence(fault);
  // A 401 that survived the token refresh is the credential's problem (exit 3), not Azure's.
  auto const code =
      fault.status == 401 ? core::ExitCode::Authentication : core::ExitCode::ServiceError;
  throw http::ServiceError(sentence, std::move(fault), code);
}

} // namespace wisetup::azure
