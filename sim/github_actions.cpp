#include "sim/github_actions.hpp"

#include "sim/encoding.hpp"
#include "sim/hosted_issuers.hpp"
#include "sim/http_answers.hpp"

namespace wisetup::sim {

bool is_github_token_path(std::string const& path) {
  return path == "/github/token";
}

void handle_github_token_service(SimulatorContext& context,
                                 httplib::Request const& request,
                                 httplib::Response& response) {
  if (request.method != "GET") {
    send_json(response, 405, {{"message", "Only GET is allowed on /github/token."}});
    return;
  }
  std::string const header = request.get_header_value("Authorization");
  if (!istarts_with(header, "Bearer ") || header.substr(7) != context.github_request_token) {
    send_json(response,
              401,
              {{"message",
                "Unauthorized: send Authorization: Bearer with the job's "
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN (ready.json github_request_token)."}});
    return;
  }
  std::lock_guard lock{context.mutex};
  std::string const subject = context.state.github_subject;
  std::string audience = request.get_param_value("audience");
  if (audience.empty()) {
    std::string owner = subject.rfind("repo:", 0) == 0 ? subject.substr(5) : subject;
    owner = owner.substr(0, owner.find('/'));
    audience = "https://github.com/" + owner;
  }
  std::string const token = mint_external_token(context,
                                                github_issuer_url(context.base_url),
                                                subject,
                                                audience,
                                                context.options.token_lifetime);
  send_json(response, 200, {{"count", 1}, {"value", token}});
}

} // namespace wisetup::sim
