#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

namespace wisetup::sim {

/// Sets a JSON body (application/json; charset=utf-8) and the status.
void send_json(httplib::Response& response, int status, nlohmann::json const& body);

/// The diagnostic headers ARM puts on every answer: x-ms-request-id, x-ms-correlation-request-id
/// (the request's or a new one), x-ms-client-request-id (echoed), x-ms-routing-request-id and
/// the remaining-quota header of the request's kind (reads, writes or deletes).
void add_arm_headers(httplib::Request const& request, httplib::Response& response);

/// {"error":{"code","message"}}: ARM's error envelope.
[[nodiscard]] nlohmann::json arm_error_body(std::string const& code, std::string const& message);

/// A Kubernetes Status object for a failure.
[[nodiscard]] nlohmann::json kube_status(int code,
                                         std::string const& reason,
                                         std::string const& message,
                                         nlohmann::json details = nullptr);

} // namespace wisetup::sim
