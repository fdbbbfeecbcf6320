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

/// The "iss" of the service-account tokens the Kubernetes API of the cluster stored under
/// `cluster_key` (lower-case ARM id) issues: its issuerURL when its OIDC issuer is enabled (and
/// assigned), else "https://kubernetes.default.svc.cluster.local", the in-cluster issuer Entra
/// does not know, as on a real cluster without the OIDC issuer.
[[nodiscard]] std::string service_account_issuer(State const& state,
                                                 std::string const& cluster_key);

/// A service-account token as the API server answers a TokenRequest: RS256 with the key every
/// cluster issuer's JWKS publishes; iss service_account_issuer(), sub
/// system:serviceaccount:NS:NAME, aud `audiences` (an array), iat/nbf `issued_at`, exp
/// `expires_at`, jti and the "kubernetes.io" claims (namespace, serviceaccount name and uid).
/// The caller holds context.mutex.
[[nodiscard]] std::string mint_service_account_token(SimulatorContext& context,
                                                     std::string const& cluster_key,
                                                     std::string const& namespace_name,
                                                     std::string const& name,
                                                     std::string const& uid,
                                                     std::vector<std::string> const& audiences,
                                                     long long issued_at,
                                                     long long expires_at);

} // namespace wisetup::sim
