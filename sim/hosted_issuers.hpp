#pragma once

#include "sim/simulator_context.hpp"

#include <string>

namespace wisetup::sim {

/// The GitHub-Actions-like issuer the simulator hosts: {base_url}/github/ (trailing slash).
[[nodiscard]] std::string github_issuer_url(std::string const& base_url);

/// True when `issuer` is the issuerURL of a cluster whose OIDC issuer is enabled.
[[nodiscard]] bool is_cluster_issuer(State const& state, std::string const& issuer);

/// Resolves an issuer as seeds and POST /_sim/oidc/tokens may write it: "github" (the GitHub
/// issuer), "cluster:<name>" or "cluster:<resourceGroup>/<name>" (that cluster's issuerURL; its
/// issuer must be enabled and the URL assigned). Any other text is returned unchanged. Throws
/// std::invalid_argument naming the cluster when it is unknown, ambiguous or its issuer is off.
[[nodiscard]] std::string
resolve_issuer(State const& state, std::string const& base_url, std::string const& alias);

/// The key the hosted issuer `issuer` signs with: one key shared by every cluster issuer (the
/// one their JWKS publish) and another for the GitHub issuer. nullptr when the simulator does
/// not host `issuer` now (unknown, or a cluster whose issuer is off). Keys are created on first
/// use; the caller holds context.mutex.
[[nodiscard]] RsaSigningKey const* hosted_issuer_key(SimulatorContext& context,
                                                     std::string const& issuer);

/// A token from the hosted issuer `issuer`, signed with its key, as that issuer writes them: a
/// cluster issuer a projected service-account token ("aud" an array; "kubernetes.io" claims
/// when the subject is system:serviceaccount:<namespace>:<name>), the GitHub issuer an Actions
/// job token ("aud" a string; repository and ref claims taken from the subject). A lifetime of
/// zero or less gives an already expired token. The caller holds context.mutex. Throws
/// std::invalid_argument when the simulator does not host `issuer`.
[[nodiscard]] std::string mint_external_token(SimulatorContext& context,
                                              std::string const& issuer,
                                              std::string const& subject,
                                              std::string const& audience,
                                              Seconds lifetime);

} // namespace wisetup::sim
