// HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl reads them (reference: "Proxies").
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/proxy_settings.hpp>

#include <arpa/inet.h>
#include <array>
#include <charconv>

namespace wisetup::http {
namespace {

std::string trimmed(std::string_view text) {
  auto const first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  auto const last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::optional<std::uint32_t> ipv4(std::string const& text) {
  in_addr address{};
  if (inet_pton(AF_INET, text.c_str(), &address) != 1) {
    return std::nullopt;
  }
  return ntohl(address.s_addr);
}

/// Whether `host` (an IPv4 literal) lies in `cidr` ("10.0.0.0/8").
bool in_range(std::string const& host, std::string const& cidr) {
  auto const slash = cidr.find('/');
  auto const address = ipv4(host);
  auto const network = ipv4(cidr.substr(0, slash));
  int bits = -1;
  auto const* const end = cidr.data() + cidr.size();
  if (!address || !network || std::from_chars(cidr.data() + slash + 1, end, bits).ptr != end ||
      bits < 0 || bits > 32) {
    return false;
  }
  std::uint32_t const mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (*address & mask) == (*network & mask);
}

std::optional<Proxy>
from_variables(core::Environment const& environment, char const* lower, char const* upper) {
  if (auto const value = environment.get(lower)) {
    return parse_proxy(*value, lower);
  }
  if (auto const value = environment.get(upper)) {
    return parse_proxy(*value, upper);
  }
  return std::nullopt;
}

} // namespace

std::string Proxy::display() const {
  return "http://" + host + ":" + std::to_string(port);
}

Proxy parse_proxy(std::string const& text, std::string const& variable) {
  auto const refuse = [&](std::string const& why) -> Proxy {
    // The value may hold a password: it is not quoted.
    throw core::InvalidInput(variable + " is not a usable proxy URL (" + why +
                             "); set it to http://host:port or http://user:password@host:port");
  };
  std::string rest = trimmed(text);
  if (auto const scheme = rest.find("://"); scheme != std::string::npos) {
    auto const name = core::to_lower(rest.substr(0, scheme));
    if (name != "http") {
      return refuse(name + ":// proxies are not supported, only http://");
    }
    rest = rest.substr(scheme + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  Proxy proxy;
  if (auto const at = rest.rfind('@'); at != std::string::npos) {
    auto const userinfo = rest.substr(0, at);
    auto const colon = userinfo.find(':');
    proxy.user = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string::npos) {
      proxy.password = percent_decode(userinfo.substr(colon + 1));
    }
    rest = rest.substr(at + 1);
  }
  auto const colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']', colon) == std::string::npos) {
    auto const port_text = rest.substr(colon + 1);
    int port = 0;
    auto const* const end = port_text.data() + port_text.size();
    if (std::from_chars(port_text.data(), end, port).ptr != end || port < 1 || port > 65535) {
      return refuse("the port is not a number from 1 to 65535");
    }
    proxy.port = port;
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) {
    return refuse("no host");
  }
  proxy.host = rest;
  return proxy;
}

ProxySettings ProxySettings::from_environment(core::Environment const& environment) {
  ProxySettings settings;
  settings.m_https = from_variables(environment, "https_proxy", "HTTPS_PROXY");
  settings.m_http = from_variables(environment, "http_proxy", "HTTP_PROXY");
  auto const no_proxy =
      environment.get("no_proxy") ? environment.get("no_proxy") : environment.get("NO_PROXY");
  if (no_proxy) {
    std::string_view list = *no_proxy;
    while (!list.empty()) {
      auto const comma = list.find(',');
      auto entry = core::to_lower(trimmed(list.substr(0, comma)));
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      while (!entry.empty() && entry.front() == '.') {
        entry.erase(0, 1);
      }
      if (!entry.empty()) {
        settings.m_no_proxy.push_back(std::move(entry));
      }
    }
  }
  return settings;
}

ProxySettings ProxySettings::through(Proxy const& proxy) {
  ProxySettings settings;
  settings.m_https = proxy;
  settings.m_http = proxy;
  return settings;
}

bool ProxySettings::bypassed(std::string const& host) const {
  auto name = core::to_lower(host);
  if (name.size() > 2 && name.front() == '[') {
    name = name.substr(1, name.size() - 2);
  }
  for (auto const& entry : m_no_proxy) {
    if (entry == "*" || entry == name ||
        (name.size() > entry.size() && name.ends_with(entry) &&
         name[name.size() - entry.size() - 1] == '.') ||
        (entry.find('/') != std::string::npos && in_range(name, entry))) {
      return true;
    }
  }
  return false;
}

std::optional<Proxy> ProxySettings::proxy_for(Url const& url) const {
  auto const& proxy = url.scheme == "https" ? m_https : m_http;
  if (!proxy || bypassed(url.host)) {
    return std::nullopt;
  }
  return proxy;
}

} // namespace wisetup::http
