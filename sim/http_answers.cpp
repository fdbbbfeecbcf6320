#include "sim/http_answers.hpp"

#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

namespace wisetup::sim {

void send_json(httplib::Response& response, int status, nlohmann::json const& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json; charset=utf-8");
}

void add_arm_headers(httplib::Request const& request, httplib::Response& response) {
  std::string const request_id = new_guid();
  std::string correlation = request.get_header_value("x-ms-correlation-request-id");
  if (correlation.empty()) {
    correlation = request_id;
  }
  response.set_header("x-ms-request-id", request_id);
  response.set_header("x-ms-correlation-request-id", correlation);
  if (request.has_header("x-ms-client-request-id")) {
    response.set_header("x-ms-client-request-id",
                        request.get_header_value("x-ms-client-request-id"));
  }
  std::string stamp = utc_seconds(std::chrono::system_clock::now());
  std::erase(stamp, '-');
  std::erase(stamp, ':');
  response.set_header("x-ms-routing-request-id", "LOCAL:" + stamp + ":" + request_id);
  // Static budgets: the simulator never throttles on its own (use a 429 fault for that).
  if (request.method == "GET" || request.method == "HEAD") {
    response.set_header("x-ms-ratelimit-remaining-subscription-reads", "249");
  } else if (request.method == "DELETE") {
    response.set_header("x-ms-ratelimit-remaining-subscription-deletes", "199");
  } else {
    response.set_header("x-ms-ratelimit-remaining-subscription-writes", "199");
  }
}

nlohmann::json arm_error_body(std::string const& code, std::string const& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

nlohmann::json kube_status(int code,
                           std::string const& reason,
                           std::string const& message,
                           nlohmann::json details) {
  nlohmann::json status = {{"kind", "Status"},
                           {"apiVersion", "v1"},
                           {"metadata", nlohmann::json::object()},
                           {"status", "Failure"},
                           {"message", message},
                           {"reason", reason},
                           {"code", code}};
  if (!details.is_null()) {
    status["details"] = std::move(details);
  }
  return status;
}

} // namespace wisetup::sim
