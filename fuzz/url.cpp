// URLs from servers and files (Location and Azure-AsyncOperation headers, nextLink, jwks_uri,
// kubeconfig servers, cloud endpoints): http::parse_url and the other URL helpers.
#include <wisetup/core/error.hpp>
#include <wisetup/http/redaction.hpp>
#include <wisetup/http/url.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void broken(char const* what) {
  std::fprintf(stderr, "fuzz_url: %s\n", what);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string const text(reinterpret_cast<char const*>(data), size);
  try {
    auto const url = wisetup::http::parse_url(text);
    if (url.scheme != "https" && url.scheme != "http") {
      broken("parse_url accepted a scheme other than http(s)");
    }
    if (url.host.empty()) {
      broken("parse_url accepted a URL without a host");
    }
    auto const port = url.effective_port();
    if (port < 1 || port > 65535) {
      broken("parse_url accepted a port outside 1..65535");
    }
    if (!url.path.empty() && url.path.front() != '/') {
      broken("parse_url returned a path that does not start with '/'");
    }
    (void)url.origin();
    (void)wisetup::http::query_parameter(url.query, "api-version");
  } catch (wisetup::core::InvalidInput const&) {
    // The documented refusal.
  }
  (void)wisetup::http::query_parameter(text, "api-version");
  (void)wisetup::http::redact_url(text);
  (void)wisetup::http::url_without_query(text);

  auto const encoded = wisetup::http::percent_encode(text);
  if (wisetup::http::percent_decode(encoded) != text ||
      wisetup::http::percent_decode(encoded, /*plus_is_space=*/true) != text) {
    broken("percent_decode(percent_encode(x)) != x");
  }
  (void)wisetup::http::percent_decode(text, /*plus_is_space=*/true);
  return 0;
}
