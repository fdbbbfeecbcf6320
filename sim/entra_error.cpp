#include "sim/entra_error.hpp"

#include "sim/http_answers.hpp"
#include "sim/random_values.hpp"
#include "sim/time_text.hpp"

namespace wisetup::sim {

void send_entra_error(httplib::Response& response, EntraError const& failure) {
  std::string const trace_id = new_guid();
  std::string const correlation_id = new_guid();
  std::string const timestamp = utc_seconds(std::chrono::system_clock::now());
  std::string const prefix =
      failure.code == 0 ? std::string{} : "AADSTS" + std::to_string(failure.code) + ": ";
  nlohmann::json body = {{"error", failure.error},
                         {"error_description",
                          prefix + failure.description + " Trace ID: " + trace_id +
                              " Correlation ID: " + correlation_id + " Timestamp: " + timestamp},
                         {"error_codes", nlohmann::json::array()},
                         {"timestamp", timestamp},
                         {"trace_id", trace_id},
                         {"correlation_id", correlation_id}};
  if (failure.code != 0) {
    body["error_codes"].push_back(failure.code);
    body["error_uri"] =
        "https://login.microsoftonline.com/error?code=" + std::to_string(failure.code);
  }
  send_json(response, failure.status, body);
}

EntraError missing_parameter(std::string const& name) {
  return {400,
          "invalid_request",
          900144,
          "The request body must contain the following parameter: '" + name + "'."};
}

} // namespace wisetup::sim
