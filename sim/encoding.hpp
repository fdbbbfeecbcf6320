#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wisetup::sim {

/// Standard base64 with padding (RFC 4648 section 4).
[[nodiscard]] std::string base64_encode(std::string_view bytes);

/// Base64url without padding (RFC 4648 section 5), as JOSE uses it.
[[nodiscard]] std::string base64url_encode(std::string_view bytes);

/// Decodes base64url (padding optional, as JOSE omits it); nullopt for any other character or an
/// impossible length.
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);

/// Decodes %XX escapes; with `plus_is_space`, '+' becomes ' ' (form and query encoding).
/// Malformed escapes are kept literally, as lenient servers do.
[[nodiscard]] std::string url_decode(std::string_view text, bool plus_is_space);

/// Percent-encodes everything but unreserved characters (RFC 3986).
[[nodiscard]] std::string url_encode(std::string_view text);

/// Splits an application/x-www-form-urlencoded body into decoded name/value pairs, in order.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body);

/// ASCII lower case; ARM ids and header names compare case-insensitively.
[[nodiscard]] std::string to_lower(std::string_view text);

/// ASCII case-insensitive equality.
[[nodiscard]] bool iequals(std::string_view left, std::string_view right);

/// ASCII case-insensitive prefix test.
[[nodiscard]] bool istarts_with(std::string_view text, std::string_view prefix);

/// ASCII case-insensitive suffix test.
[[nodiscard]] bool iends_with(std::string_view text, std::string_view suffix);

} // namespace wisetup::sim
