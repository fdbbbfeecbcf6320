#pragma once

#include <wisetup/http/pipeline.hpp>

#include <cstddef>
#include <string>

namespace wisetup::identity {

/// What an OIDC issuer publishes: its discovery document's issuer and jwks_uri, and how many
/// signing keys the JWKS holds (two while keys rotate).
struct OidcDiscovery {
  std::string issuer;
  std::string jwks_uri;
  std::size_t key_count = 0;
};

/// GET {issuer_url}.well-known/openid-configuration (exactly one '/' between them; AKS issuer
/// URLs end with '/'), then GET its jwks_uri and count the keys. No authentication: use a
/// pipeline without a bearer policy. Throws http::TransportError (the URL named) when the issuer
/// cannot be reached, http::ServiceError naming the URL for a non-2xx answer, a body that is
/// not JSON or lacks issuer, jwks_uri or keys, and core::InvalidInput when `issuer_url` or the
/// jwks_uri is not an http(s) URL.
[[nodiscard]] OidcDiscovery fetch_oidc_discovery(http::Pipeline const& pipeline,
                                                 std::string const& issuer_url);

} // namespace wisetup::identity
