#pragma once

#include "sim/certificates.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace wisetup::sim {

/// A compact JWS (header.claims.signature) taken apart. Nothing is verified by parsing.
struct JsonWebToken {
  nlohmann::json header;     ///< a JSON object
  nlohmann::json claims;     ///< a JSON object
  std::string signing_input; ///< "base64url(header).base64url(claims)", what the signature covers
  std::string signature;     ///< raw bytes
};

/// Splits and decodes a compact JWS; nullopt unless it has three base64url parts whose first two
/// are JSON objects.
[[nodiscard]] std::optional<JsonWebToken> parse_jwt(std::string_view text);

/// A compact JWS of `claims` signed RS256 with `key`; "alg" and "kid" (the key's id) are added
/// to `header`.
[[nodiscard]] std::string
sign_jwt(RsaSigningKey const& key, nlohmann::json header, nlohmann::json const& claims);

/// The NumericDate claim `name` in whole seconds since the epoch (numbers with a fraction are
/// truncated); nullopt when absent or not a number.
[[nodiscard]] std::optional<long long> numeric_date(nlohmann::json const& claims, char const* name);

} // namespace wisetup::sim
