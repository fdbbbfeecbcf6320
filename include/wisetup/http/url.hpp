#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wisetup::http {

/// The parts of an absolute http(s) URL that wi-setup needs. User info and fragment are dropped.
struct Url {
  std::string scheme; ///< lower case: "https"
  std::string host;   ///< as written; an IPv6 literal keeps its brackets
  std::string port;   ///< as written, empty when the URL names none
  std::string path;   ///< starts with '/', or is empty
  std::string query;  ///< without the '?', may be empty

  /// "scheme://host[:port]", for messages and connection keys.
  [[nodiscard]] std::string origin() const;
  /// The port to connect to: the written one, else 443 for https and 80 for http.
  [[nodiscard]] int effective_port() const;
};

/// Splits an absolute http:// or https:// URL. Throws core::InvalidInput naming the URL's origin
/// (never its query) when it is not one.
[[nodiscard]] Url parse_url(std::string_view text);

/// The decoded value of the first query parameter called `name`, or nullopt.
[[nodiscard]] std::optional<std::string> query_parameter(std::string_view query,
                                                         std::string_view name);

/// Percent-encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), so
/// the result is safe in a path segment, a query value and an x-www-form-urlencoded body.
[[nodiscard]] std::string percent_encode(std::string_view text);

/// Decodes %XX escapes and, in form encoding, '+' as a space. Malformed escapes are kept as is.
[[nodiscard]] std::string percent_decode(std::string_view text, bool plus_is_space = false);

} // namespace wisetup::http
