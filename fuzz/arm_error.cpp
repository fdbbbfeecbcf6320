// ARM error bodies (any non-2xx answer of Azure Resource Manager, gateways' HTML included):
// azure::parse_arm_fault, explain_arm_fault, arm_error_sentence and throw_arm_error.
#include <wisetup/azure/arm_error.hpp>
#include <wisetup/http/service_error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

[[noreturn]] void broken(char const* what) {
  std::fprintf(stderr, "fuzz_arm_error: %s\n", what);
  std::abort();
}

constexpr char const* k_url =
    "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/"
    "resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
    "?api-version=2023-01-31&secret=s3cr3t";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string const body(reinterpret_cast<char const*>(data), size);
  wisetup::http::Request request;
  request.method = wisetup::http::Method::Put;
  request.url = k_url;
  for (int const status : std::array{400, 401, 403, 404, 409, 429, 502}) {
    wisetup::http::Response response;
    response.status = status;
    response.headers.set("x-ms-request-id", "1234");
    response.body = body;
    auto const fault = wisetup::azure::parse_arm_fault(request, response);
    if (fault.status != status || fault.url.find('?') != std::string::npos) {
      broken("parse_arm_fault lost the status or kept the query string");
    }
    (void)wisetup::azure::arm_error_sentence(fault);
    try {
      wisetup::azure::throw_arm_error(request, response);
    } catch (wisetup::http::ServiceError const& error) {
      if (error.fault().code != fault.code || error.fault().message != fault.message) {
        broken("throw_arm_error and parse_arm_fault disagree");
      }
    }
  }
  // The same text as a request URL: explain_arm_fault reads segments of the path.
  wisetup::http::ServiceFault fault;
  fault.status = 404;
  fault.code = "ResourceGroupNotFound";
  fault.method = "GET";
  fault.url = body;
  (void)wisetup::azure::arm_error_sentence(fault);
  fault.code = "MissingSubscriptionRegistration";
  (void)wisetup::azure::explain_arm_fault(fault);
  (void)wisetup::azure::url_path(body);
  return 0;
}
