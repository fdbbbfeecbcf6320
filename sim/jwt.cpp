#include "sim/jwt.hpp"

#include "sim/encoding.hpp"

#include <algorithm>
#include <cmath>

namespace wisetup::sim {

std::optional<JsonWebToken> parse_jwt(std::string_view text) {
  auto const first = text.find('.');
  auto const second = first == std::string_view::npos ? first : text.find('.', first + 1);
  if (second == std::string_view::npos || text.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  auto const header = base64url_decode(text.substr(0, first));
  auto const claims = base64url_decode(text.substr(first + 1, second - first - 1));
  auto const signature = base64url_decode(text.substr(second + 1));
  if (!header || !claims || !signature) {
    return std::nullopt;
  }
  JsonWebToken token;
  token.header = nlohmann::json::parse(*header, nullptr, /*allow_exceptions=*/false);
  token.claims = nlohmann::json::parse(*claims, nullptr, /*allow_exceptions=*/false);
  if (!token.header.is_object() || !token.claims.is_object()) {
    return std::nullopt;
  }
  token.signing_input = std::string(text.substr(0, second));
  token.signature = *signature;
  return token;
}

std::string
sign_jwt(RsaSigningKey const& key, nlohmann::json header, nlohmann::json const& claims) {
  header["alg"] = "RS256";
  header["kid"] = key.key_id();
  std::string const signing_input =
      base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  return signing_input + "." + base64url_encode(key.sign_rs256(signing_input));
}

std::optional<long long> numeric_date(nlohmann::json const& claims, char const* name) {
  auto const found = claims.find(name);
  if (found == claims.end() || !found->is_number()) {
    return std::nullopt;
  }
  // Far-off dates are clamped (about 3 million years), so that arithmetic on them cannot overflow.
  constexpr double k_limit = 1e14;
  double const value = found->get<double>();
  if (!std::isfinite(value)) {
    return std::nullopt;
  }
  if (found->is_number_integer() && std::abs(value) < k_limit) {
    return found->is_number_unsigned() ? static_cast<long long>(found->get<unsigned long long>())
                                       : found->get<long long>();
  }
  return static_cast<long long>(std::clamp(value, -k_limit, k_limit));
}

} // namespace wisetup::sim
