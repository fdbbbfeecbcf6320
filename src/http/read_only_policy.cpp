#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/read_only_policy.hpp>
#include <wisetup/http/redaction.hpp>

#include <array>
#include <string>

namespace wisetup::http {
namespace {

/// POST actions that read (credentials to reach the cluster, an access review) or sign in.
constexpr std::array<std::string_view, 5> k_reading_posts{
    "/listClusterUserCredential",
    "/oauth2/v2.0/token",
    "/oauth2/token",
    "/devicecode",
    "/selfsubjectaccessreviews",
};

/// The path of an absolute URL, without query or fragment ("" when there is none).
std::string_view path_of(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  auto const scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return url;
  }
  auto const slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
}

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         core::equals_ignoring_case(text.substr(text.size() - suffix.size()), suffix);
}

} // namespace

bool ReadOnlyPolicy::allows(Method method, std::string_view url) {
  if (method == Method::Get) {
    return true;
  }
  if (method != Method::Post) {
    return false;
  }
  auto path = path_of(url);
  // ARM action paths are matched case-insensitively, as ARM does; a trailing '/' changes nothing.
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  for (auto const suffix : k_reading_posts) {
    if (ends_with_ignoring_case(path, suffix)) {
      return true;
    }
  }
  return false;
}

Response ReadOnlyPolicy::send(Request& request, NextPolicy const& next) const {
  if (!allows(request.method, request.url)) {
    throw core::Error(
        "internal error: plan tried to write: " + std::string(to_string(request.method)) + " " +
            url_without_query(request.url),
        core::ExitCode::Unexpected);
  }
  return next.send(request);
}

} // namespace wisetup::http
