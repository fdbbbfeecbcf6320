#pragma once

#include <wisetup/http/headers.hpp>
#include <wisetup/http/pipeline.hpp>
#include <wisetup/http/request.hpp>
#include <wisetup/http/response.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wisetup::azure {

/// A parsed ARM answer: status, headers (Azure-AsyncOperation, Location, Retry-After, ETag) and
/// the JSON body (null when empty).
struct ArmResponse {
  int status = 0;
  http::Headers headers;
  nlohmann::json body;
};

/// Sends requests to Azure Resource Manager through the shared authenticated pipeline.
/// Paths start with "/subscriptions/..."; `api-version` is appended here.
/// Any non-2xx status becomes http::ServiceError with the ARM error envelope parsed (code,
/// message, x-ms-request-id) and a sentence naming the method and resource.
class ArmClient {
public:
  ArmClient(std::shared_ptr<http::Pipeline const> pipeline, std::string endpoint);

  /// GET; nullopt when the resource does not exist (404), the body otherwise. A 404 for a missing
  /// resource group or subscription throws like any other error: it is a wrong input. Throws
  /// http::ServiceError on other non-2xx answers and core::InvalidInput when a 2xx body is not
  /// JSON.
  [[nodiscard]] std::optional<nlohmann::json> get(std::string const& path,
                                                  std::string_view api_version) const;
  /// Any method; `body` is sent as JSON with Content-Type application/json. Throws
  /// http::ServiceError on non-2xx (404 included) and core::InvalidInput when a 2xx body is not
  /// JSON. A `path` without a leading '/' gets one.
  ArmResponse send(http::Method method,
                   std::string const& path,
                   std::string_view api_version,
                   std::optional<nlohmann::json> const& body,
                   http::Headers const& extra_headers = {}) const;
  /// DELETE of a resource that answers synchronously; true when it was deleted (any 2xx), false
  /// when it was already gone (404 of the resource itself). A 404 for a missing resource group,
  /// subscription or parent resource (ResourceGroupNotFound, SubscriptionNotFound,
  /// ParentResourceNotFound) throws like any other refusal: it is a wrong input. Throws
  /// http::ServiceError on other non-2xx answers.
  [[nodiscard]] bool remove(std::string const& path, std::string_view api_version) const;
  /// GET of an absolute URL (LRO monitor, nextLink) as returned by ARM; no api-version added.
  /// Throws core::InvalidInput when the URL is not on the endpoint's host (the pipeline would
  /// send it the ARM token), http::ServiceError on non-2xx.
  ArmResponse get_url(std::string const& url) const;

  [[nodiscard]] std::string const& endpoint() const { return m_endpoint; }

private:
  [[nodiscard]] http::Request make_request(http::Method method,
                                           std::string const& path,
                                           std::string_view api_version,
                                           std::optional<nlohmann::json> const& body,
                                           http::Headers const& extra_headers) const;

  std::shared_ptr<http::Pipeline const> m_pipeline;
  std::string m_endpoint;
};

} // namespace wisetup::azure
