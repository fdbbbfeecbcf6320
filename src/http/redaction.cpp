#include <wisetup/core/error.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/url.hpp>

namespace wisetup::http {
namespace {

constexpr char const* k_unparsable = "<unparsable URL>";

} // namespace

std::string redact_url(std::string const& url) {
  Url parsed;
  try {
    parsed = parse_url(url);
  } catch (core::Error const&) {
    return k_unparsable;
  }
  std::string result = parsed.origin() + parsed.path;
  std::string_view query = parsed.query;
  char separator = '?';
  while (!query.empty()) {
    auto const amp = query.find('&');
    auto const pair = query.substr(0, amp);
    auto const equals = pair.find('=');
    auto const name = pair.substr(0, equals);
    if (!name.empty()) {
      result.push_back(separator);
      separator = '&';
      // Only api-version is known to be harmless; SAS signatures, codes and tokens travel in
      // other parameters.
      if (percent_decode(name, true) == "api-version") {
        result.append(pair);
      } else {
        result.append(name).append("=").append(k_redacted);
      }
    }
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return result;
}

std::string url_without_query(std::string const& url) {
  try {
    auto const parsed = parse_url(url);
    return parsed.origin() + parsed.path;
  } catch (core::Error const&) {
    return k_unparsable;
  }
}

} // namespace wisetup::http
