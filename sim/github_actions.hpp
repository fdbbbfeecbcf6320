#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>

#include <string>

namespace wisetup::sim {

/// True for the path of the GitHub Actions OIDC token service: /github/token.
[[nodiscard]] bool is_github_token_path(std::string const& path);

/// The job token service GitHub Actions runners offer at ACTIONS_ID_TOKEN_REQUEST_URL:
/// GET /github/token?audience=X with "Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>"
/// (the simulator's github_request_token) answers {"count":1,"value": jwt} from the GitHub
/// issuer, for the seed's github subject, valid for --token-lifetime-seconds. Without an
/// audience, "aud" is https://github.com/<owner>, as GitHub does. A missing or wrong bearer:
/// 401.
void handle_github_token_service(SimulatorContext& context,
                                 httplib::Request const& request,
                                 httplib::Response& response);

} // namespace wisetup::sim
