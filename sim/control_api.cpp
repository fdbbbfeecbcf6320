#include "sim/control_api.hpp"

#include "sim/cluster_operations.hpp"
#include "sim/hosted_issuers.hpp"
#include "sim/http_answers.hpp"
#include "sim/seed.hpp"

#include <cmath>

namespace wisetup::sim {
namespace {

void send_problem(httplib::Response& response, int status, std::string const& message) {
  send_json(response, status, {{"error", message}});
}

nlohmann::json parse_json(httplib::Request const& request) {
  return nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
}

// POST /_sim/oidc/tokens {"issuer","subject","audience","lifetime_seconds"} -> {"token",...}.
void mint_token(SimulatorContext& context,
                httplib::Request const& request,
                httplib::Response& response) {
  auto const body = parse_json(request);
  if (!body.is_object()) {
    send_problem(response,
                 400,
                 "the body of POST /_sim/oidc/tokens must be a JSON object {\"issuer\": "
                 "\"cluster:<name>\" | \"github\", \"subject\", \"audience\", "
                 "\"lifetime_seconds\"}");
    return;
  }
  auto text = [&body](char const* field,
                      std::string const& fallback) -> std::optional<std::string> {
    auto const found = body.find(field);
    if (found == body.end() || found->is_null()) {
      return fallback;
    }
    if (!found->is_string() || found->get<std::string>().empty()) {
      return std::nullopt;
    }
    return found->get<std::string>();
  };
  auto const issuer_alias = text("issuer", "");
  auto const subject = text("subject", "");
  auto const audience = text("audience", "api://AzureADTokenExchange");
  if (!issuer_alias || issuer_alias->empty()) {
    send_problem(response,
                 400,
                 "\"issuer\" is required: \"cluster:<name>\", \"cluster:<resourceGroup>/<name>\", "
                 "\"github\" or the URL of an issuer the simulator hosts");
    return;
  }
  if (!subject || subject->empty()) {
    send_problem(response,
                 400,
                 "\"subject\" is required, e.g. \"system:serviceaccount:<namespace>:<name>\"");
    return;
  }
  if (!audience) {
    send_problem(response, 400, "\"audience\" must be a non-empty string");
    return;
  }
  Seconds lifetime = context.options.token_lifetime;
  if (auto const found = body.find("lifetime_seconds"); found != body.end() && !found->is_null()) {
    if (!found->is_number() || std::abs(found->get<double>()) > 86400.0) {
      send_problem(response,
                   400,
                   "\"lifetime_seconds\" must be a number of seconds from -86400 to 86400 "
                   "(zero or less: an expired token)");
      return;
    }
    lifetime = Seconds{found->get<double>()};
  }
  std::lock_guard lock{context.mutex};
  settle_cluster_operations(context);
  try {
    std::string const issuer = resolve_issuer(context.state, context.base_url, *issuer_alias);
    std::string const token = mint_external_token(context, issuer, *subject, *audience, lifetime);
    send_json(
        response,
        200,
        {{"token", token}, {"issuer", issuer}, {"subject", *subject}, {"audience", *audience}});
  } catch (std::invalid_argument const& error) {
    send_problem(response, 400, error.what());
  }
}

// POST /_sim/devicecode/approve|decline {"user_code"[, "user"]}.
void decide_device_code(SimulatorContext& context,
                        httplib::Request const& request,
                        httplib::Response& response,
                        bool approve) {
  auto const body = parse_json(request);
  if (!body.is_object() || !body.contains("user_code") || !body["user_code"].is_string()) {
    send_problem(response,
                 400,
                 "the body must be a JSON object {\"user_code\": \"...\"} (optional \"user\": a "
                 "seeded user's object id or userPrincipalName)");
    return;
  }
  std::string user_id;
  if (approve) {
    std::lock_guard lock{context.mutex};
    State const& state = context.state;
    std::string const wanted = body.value("user", "");
    User const* user = wanted.empty() ? (state.users.empty() ? nullptr : &state.users.front())
                                      : state.user(wanted);
    if (user == nullptr) {
      send_problem(response,
                   400,
                   wanted.empty() ? "the seed has no users to sign in as; add \"users\" to it"
                                  : "no seeded user has the object id or userPrincipalName \"" +
                                        wanted + "\"");
      return;
    }
    user_id = user->object_id;
  }
  std::string const problem =
      context.device_codes.decide(body["user_code"].get<std::string>(), approve, user_id);
  if (!problem.empty()) {
    send_problem(response, problem.rfind("no device code", 0) == 0 ? 404 : 409, problem);
    return;
  }
  send_json(response, 200, {{"status", approve ? "approved" : "declined"}, {"user", user_id}});
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
  } else if (path == "/_sim/oidc/tokens" && method == "POST") {
    mint_token(context, request, response);
  } else if (path == "/_sim/devicecode" && method == "GET") {
    send_json(response, 200, context.device_codes.to_json());
  } else if (path == "/_sim/devicecode/approve" && method == "POST") {
    decide_device_code(context, request, response, true);
  } else if (path == "/_sim/devicecode/decline" && method == "POST") {
    decide_device_code(context, request, response, false);
  } else if (path == "/_sim/health" && method == "GET") {
    send_json(response,
              200,
              {{"status", "ok"},
               {"port", context.port},
               {"kube_port", context.kube_port},
               {"imds_port", context.imds_port}});
  } else {
    send_problem(response,
                 404,
                 "unknown control endpoint " + method + " " + path +
                     "; see docs/simulator.md for the list");
  }
}

} // namespace wisetup::sim
