#pragma once

#include <wisetup/core/clock.hpp>
#include <wisetup/core/cloud.hpp>
#include <wisetup/http/access_token.hpp>
#include <wisetup/http/retry_policy.hpp>
#include <wisetup/http/transport.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace wisetup::identity {

/// What Microsoft Entra answered to a federated token exchange.
struct ExchangeResult {
  bool ok = false;
  http::AccessToken token; ///< set when ok; a secret: never log it
  std::string error_code;  ///< "AADSTS700213"; empty when ok or when Entra gave no code
  std::string error;       ///< "invalid_client"
  std::string description; ///< Entra's error_description, without the assertion
};

/// Timing of the exchange; the defaults are the real clock and the credentials' retries (429 and
/// 5xx, honouring Retry-After).
struct ExchangeOptions {
  std::shared_ptr<core::Clock> clock;
  http::RetryOptions retry;
};

/// The token exchange a workload's SDK makes (what `verify --exchange` tries):
/// POST {cloud.active_directory}/{tenant_id}/oauth2/v2.0/token with the form
/// grant_type=client_credentials, client_id, client_assertion_type=urn:ietf:params:oauth:
/// client-assertion-type:jwt-bearer, client_assertion=`assertion` (a service-account token) and
/// scope. A refusal (400/401 with Entra's error answer) is returned with ok=false and the AADSTS
/// code (from error_codes[0], else the description); see aadsts_meaning. Throws
/// http::TransportError naming the authority when it cannot be reached, core::AuthenticationError
/// (as the credentials do) for other statuses, 5xx after retries included, or a 2xx without a
/// token, and core::InvalidInput when the authority is not https. The assertion never appears in
/// a result or an error.
[[nodiscard]] ExchangeResult exchange_federated_token(std::shared_ptr<http::Transport> transport,
                                                      core::Cloud const& cloud,
                                                      std::string const& tenant_id,
                                                      std::string const& client_id,
                                                      std::string const& assertion,
                                                      std::string const& scope);

/// The same with an injected clock and retry options (tests).
[[nodiscard]] ExchangeResult exchange_federated_token(std::shared_ptr<http::Transport> transport,
                                                      core::Cloud const& cloud,
                                                      std::string const& tenant_id,
                                                      std::string const& client_id,
                                                      std::string const& assertion,
                                                      std::string const& scope,
                                                      ExchangeOptions options);

/// One sentence on what an AADSTS code of a federated token exchange means: 700211 (issuer),
/// 700212 (audience), 700213 (subject), 70021, 700016, 700024, 50027. `code` is "AADSTS700213"
/// or "700213"; empty for any other code.
[[nodiscard]] std::string_view aadsts_meaning(std::string_view code);

} // namespace wisetup::identity
