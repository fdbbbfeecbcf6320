#pragma once

#include <wisetup/http/request.hpp>
#include <wisetup/http/response.hpp>
#include <wisetup/http/service_error.hpp>

#include <string>
#include <string_view>

namespace wisetup::azure {

/// Reads the ARM error envelope of a non-2xx answer (`{"error":{"code","message"}}`, or the bare
/// `{"code","message"}` a few providers send) and x-ms-request-id into a fault. HTML or empty
/// bodies (gateways on 502/503/504) give an empty code and an empty message. `fault.url` is the
/// request URL without its query string.
[[nodiscard]] http::ServiceFault parse_arm_fault(http::Request const& request,
                                                 http::Response const& response);

/// What a fault means for the user, in one place: well-known codes (ResourceGroupNotFound,
/// SubscriptionNotFound, AuthorizationFailed, InvalidAuthenticationToken*,
/// MissingSubscriptionRegistration) become an actionable sentence fragment naming the value and the
/// fix; other codes give the service's own message; no message gives a generic one.
[[nodiscard]] std::string explain_arm_fault(http::ServiceFault const& fault);

/// "Azure refused PUT /subscriptions/.../userAssignedIdentities/id1 (403 AuthorizationFailed):
/// <explanation> (request id 1234)." Never contains query strings or credentials.
[[nodiscard]] std::string arm_error_sentence(http::ServiceFault const& fault);

/// Throws http::ServiceError for a non-2xx ARM answer, with arm_error_sentence as its text.
[[noreturn]] void throw_arm_error(http::Request const& request, http::Response const& response);

/// The path of an absolute URL ("https://host/a/b?x" -> "/a/b"), without query or fragment.
[[nodiscard]] std::string url_path(std::string_view url);

} // namespace wisetup::azure
