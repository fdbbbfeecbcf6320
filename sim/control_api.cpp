#include "sim/control_api.hpp"

#include "sim/cluster_operations.hpp"
#include "sim/http_answers.hpp"
#include "sim/seed.hpp"

namespace wisetup::sim {
namespace {

void send_problem(httplib::Response& response, int status, std::string const& message) {
  send_json(response, status, {{"error", message}});
}

nlohmann::json parse_json(httplib::Request const& request) {
  return nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
}

} // namespace

void handle_control(SimulatorContext& context,
                    httplib::Request const& request,
                    httplib::Response& response) {
  std::string const& path = request.path;
  std::string const& method = request.method;
  if (path == "/_sim/state" && method == "GET") {
    std::lock_guard lock{context.mutex};
    settle_cluster_operations(context);
    nlohmann::json state = state_to_json(context.state);
    state["federatedCredentialWritesInFlight"] = context.fic_writes_in_flight;
    send_json(response, 200, state);
  } else if (path == "/_sim/state" && method == "PUT") {
    auto const seed = parse_json(request);
    if (seed.is_discarded()) {
      send_problem(response, 400, "the body of PUT /_sim/state must be a JSON seed document");
      return;
    }
    try {
      State state = state_from_seed(seed, context.base_url, context.options.cluster_update);
      std::lock_guard lock{context.mutex};
      context.state = std::move(state);
      send_json(response, 200, {{"status", "replaced"}});
    } catch (SeedError const& error) {
      send_problem(response, 400, error.what());
    }
  } else if (path == "/_sim/requests" && method == "GET") {
    send_json(response, 200, context.requests.to_json());
  } else if ((path == "/_sim/requests/clear" && method == "POST") ||
             (path == "/_sim/requests" && method == "DELETE")) {
    context.requests.clear();
    send_json(response, 200, {{"status", "cleared"}});
  } else if (path == "/_sim/faults" && method == "POST") {
    auto const description = parse_json(request);
    if (description.is_discarded()) {
      send_problem(response, 400, "the body of POST /_sim/faults must be a JSON object");
      return;
    }
    try {
      context.faults.add(description);
      send_json(response, 201, {{"status", "armed"}, {"faults", context.faults.to_json()}});
    } catch (std::invalid_argument const& error) {
      send_problem(response, 400, error.what());
    }
  } else if (path == "/_sim/faults" && method == "GET") {
    send_json(response, 200, context.faults.to_json());
  } else if ((path == "/_sim/faults/clear" && method == "POST") ||
             (path == "/_sim/faults" && method == "DELETE")) {
    context.faults.clear();
    send_json(response, 200, {{"status", "cleared"}});
  } else if (path == "/_sim/tokens/expire" && method == "POST") {
    context.tokens.expire_all();
    send_json(response, 200, {{"status", "expired"}});
  } else if (path == "/_sim/health" && method == "GET") {
    send_json(response,
              200,
              {{"status", "ok"}, {"port", context.port}, {"kube_port", context.kube_port}});
  } else {
    send_problem(response,
                 404,
                 "unknown control endpoint " + method + " " + path +
                     "; see docs/simulator.md for the list");
  }
}

} // namespace wisetup::sim
