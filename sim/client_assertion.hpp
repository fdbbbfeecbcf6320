#pragma once

#include "sim/simulator_context.hpp"

#include <string>
#include <vector>

namespace wisetup::sim {

/// The principal a client assertion signs in.
struct AssertionSignIn {
  std::string object_id;
  std::string client_id;
  std::string identity_resource_id; ///< set when a user-assigned identity signs in
};

/// Checks a client assertion (grant_type=client_credentials with client_assertion_type
/// jwt-bearer) for `client_id`, as Microsoft Entra does (docs/simulator.md lists the checks):
/// an assertion whose "iss" is the client id is a certificate assertion (RS256 or PS256, signed
/// with a certificate the service principal registered, named by x5t#S256 or x5t; "aud" one of
/// `token_endpoints`; "sub" the client id; "exp" in the future and at most an hour ahead; "nbf"
/// at most 5 minutes ahead); any other is a federated token that must match one federated
/// credential of the service principal, or of the user-assigned identity with that client id,
/// exactly (issuer, subject, one audience), be signed by that issuer (only issuers the simulator
/// hosts can be checked) and not be expired. Throws EntraError with the AADSTS code Entra uses:
/// 50027, 700027, 700024, 70021, 700211, 700212, 700213, 50166, 700016. The caller holds
/// context.mutex.
[[nodiscard]] AssertionSignIn
authenticate_client_assertion(SimulatorContext& context,
                              std::string const& client_id,
                              std::string const& assertion,
                              std::vector<std::string> const& token_endpoints);

} // namespace wisetup::sim
