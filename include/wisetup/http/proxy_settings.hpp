#pragma once

#include <wisetup/core/environment.hpp>
#include <wisetup/http/url.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wisetup::http {

/// A forward proxy: http://[user:password@]host[:port]. The password is a secret: only
/// `display()` is ever logged or shown.
struct Proxy {
  std::string host;
  int port = 1080; ///< curl's default when the URL names none
  std::string user;
  std::string password;

  /// "http://host:port", without the credentials.
  [[nodiscard]] std::string display() const;
  friend bool operator==(Proxy const&, Proxy const&) = default;
};

/// Which requests go through which proxy, read from the environment as curl and the Azure CLI
/// read it: https_proxy / HTTPS_PROXY for https URLs, http_proxy / HTTP_PROXY for http URLs, and
/// no_proxy / NO_PROXY, a comma list of host names, domain suffixes (leading dot optional), IP
/// addresses, CIDR ranges (IPv4), or `*` for none at all. The lower-case form wins.
class ProxySettings {
public:
  ProxySettings() = default;
  /// Throws core::InvalidInput naming the variable when a proxy URL is not
  /// http://[user:password@]host[:port] (an https:// or socks proxy is refused, not ignored).
  [[nodiscard]] static ProxySettings from_environment(core::Environment const& environment);
  /// Everything through `proxy` (a kubeconfig's proxy-url).
  [[nodiscard]] static ProxySettings through(Proxy const& proxy);

  /// The proxy for `url`, or nullopt to connect directly.
  [[nodiscard]] std::optional<Proxy> proxy_for(Url const& url) const;
  [[nodiscard]] bool empty() const { return !m_https && !m_http; }

private:
  [[nodiscard]] bool bypassed(std::string const& host) const;

  std::optional<Proxy> m_https;
  std::optional<Proxy> m_http;
  std::vector<std::string> m_no_proxy; ///< lower case, without a leading dot
};

/// Parses one proxy URL; `variable` names where it came from, for the error. Exposed for tests.
[[nodiscard]] Proxy parse_proxy(std::string const& text, std::string const& variable);

} // namespace wisetup::http
