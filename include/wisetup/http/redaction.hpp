#pragma once

#include <string>

namespace wisetup::http {

/// A URL safe to print in logs and messages: scheme, host, port and path, plus the api-version
/// query parameter; every other query value becomes REDACTED, user info and fragment are dropped.
/// Never throws: text that is not an http(s) URL comes back as "<unparsable URL>".
[[nodiscard]] std::string redact_url(std::string const& url);

/// The URL with its query string (and user info and fragment) removed:
/// "https://host:port/path". Never throws; see redact_url.
[[nodiscard]] std::string url_without_query(std::string const& url);

/// The placeholder printed instead of a value that is not known to be harmless.
inline constexpr char const* k_redacted = "REDACTED";

} // namespace wisetup::http
