#include <wisetup/azure/arm_client.hpp>
#include <wisetup/azure/arm_error.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/url.hpp>

#include <algorithm>
#include <cctype>

namespace wisetup::azure {
namespace {

std::string with_api_version(std::string url, std::string_view api_version) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "api-version=";
  url += api_version;
  return url;
}

bool same_origin(http::Url const& left, http::Url const& right) {
  return left.scheme == right.scheme && core::to_lower(left.host) == core::to_lower(right.host) &&
         left.effective_port() == right.effective_port();
}

/// A 404 that says the resource itself is absent, not its resource group, subscription or parent.
bool is_resource_absent(http::Request const& request, http::Response const& response) {
  if (response.status != 404) {
    return false;
  }
  auto const fault = parse_arm_fault(request, response);
  return !core::equals_ignoring_case(fault.code, "ResourceGroupNotFound") &&
         !core::equals_ignoring_case(fault.code, "SubscriptionNotFound") &&
         !core::equals_ignoring_case(fault.code, "ParentResourceNotFound");
}

bool is_blank(std::string const& text) {
  return std::all_of(
      text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

ArmResponse to_arm_response(http::Request const& request, http::Response response) {
  if (!response.ok()) {
    throw_arm_error(request, response);
  }
  ArmResponse result{response.status, std::move(response.headers), nullptr};
  if (is_blank(response.body)) {
    return result;
  }
  result.body = nlohmann::json::parse(response.body, nullptr, false);
  if (result.body.is_discarded()) {
    auto const request_id = result.headers.get("x-ms-request-id");
    throw core::InvalidInput("Azure answered " + std::string(http::to_string(request.method)) +
                             " " + url_path(request.url) + " (" + std::to_string(result.status) +
                             ") with a body that is not JSON" +
                             (request_id ? " (request id " + *request_id + ")" : std::string()) +
                             "; check that the Resource Manager endpoint of --cloud is right.");
  }
  return result;
}

} // namespace

ArmClient::ArmClient(std::shared_ptr<http::Pipeline const> pipeline, std::string endpoint)
    : m_pipeline(std::move(pipeline)),
      m_endpoint(core::without_trailing_slash(std::move(endpoint))) {}

std::optional<nlohmann::json> ArmClient::get(std::string const& path,
                                             std::string_view api_version) const {
  auto const request = make_request(http::Method::Get, path, api_version, std::nullopt, {});
  auto response = m_pipeline->send(request);
  if (response.status == 404) {
    // A missing resource group or subscription is a wrong input, not a resource to create.
    auto const fault = parse_arm_fault(request, response);
    if (!core::equals_ignoring_case(fault.code, "ResourceGroupNotFound") &&
        !core::equals_ignoring_case(fault.code, "SubscriptionNotFound")) {
      return std::nullopt;
    }
  }
  return to_arm_response(request, std::move(response)).body;
}

bool ArmClient::remove(std::string const& path, std::string_view api_version) const {
  auto const request = make_request(http::Method::Delete, path, api_version, std::nullopt, {});
  auto const response = m_pipeline->send(request);
  if (is_resource_absent(request, response)) {
    return false;
  }
  if (!response.ok()) {
    throw_arm_error(request, response);
  }
  // The body (the deleted resource, or nothing) is not needed; do not insist that it is JSON.
  return true;
}

ArmResponse ArmClient::send(http::Method method,
                            std::string const& path,
                            std::string_view api_version,
                            std::optional<nlohmann::json> const& body,
                            http::Headers const& extra_headers) const {
  auto const request = make_request(method, path, api_version, body, extra_headers);
  return to_arm_response(request, m_pipeline->send(request));
}

ArmResponse ArmClient::get_url(std::string const& url) const {
  // The pipeline attaches the ARM token: never follow a link to another host.
  auto const target = http::parse_url(url);
  if (!same_origin(target, http::parse_url(m_endpoint))) {
    throw core::InvalidInput("Azure returned a link to " + target.origin() +
                             ", which is not the Resource Manager endpoint " + m_endpoint +
                             "; wi-setup only sends its access token to that endpoint. Check the "
                             "Resource Manager endpoint of --cloud.");
  }
  http::Request request{http::Method::Get, url, {}, {}};
  request.headers.set("Accept", "application/json");
  return to_arm_response(request, m_pipeline->send(request));
}

http::Request ArmClient::make_request(http::Method method,
                                      std::string const& path,
                                      std::string_view api_version,
                                      std::optional<nlohmann::json> const& body,
                                      http::Headers const& extra_headers) const {
  auto const separator = path.starts_with('/') ? "" : "/";
  http::Request request{
      method, with_api_version(m_endpoint + separator + path, api_version), {}, {}};
  request.headers.set("Accept", "application/json");
  if (body) {
    request.headers.set("Content-Type", "application/json");
    request.body = body->dump();
  }
  for (auto const& [name, value] : extra_headers.fields()) {
    request.headers.set(name, value);
  }
  return request;
}

} // namespace wisetup::azure
