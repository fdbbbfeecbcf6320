#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/url.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace wisetup::http {
namespace {

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool is_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

} // namespace

std::string Url::origin() const {
  return port.empty() ? scheme + "://" + host : scheme + "://" + host + ":" + port;
}

int Url::effective_port() const {
  if (port.empty()) {
    return scheme == "https" ? 443 : 80;
  }
  int value = 0;
  std::from_chars(port.data(), port.data() + port.size(), value);
  return value;
}

Url parse_url(std::string_view text) {
  auto const scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    throw core::InvalidInput("\"" + std::string(text.substr(0, text.find_first_of("?#"))) +
                             "\" is not an absolute URL; write it as https://host/path");
  }
  Url url;
  url.scheme = core::to_lower(text.substr(0, scheme_end));
  auto rest = text.substr(scheme_end + 3);
  auto const authority_end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

  // User info ("user:password@") is never kept: it would leak into messages and connection keys.
  if (auto const at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    auto const close = authority.find(']');
    if (close == std::string_view::npos) {
      throw core::InvalidInput("the URL " + url.scheme +
                               "://... has an unterminated IPv6 address; write it as "
                               "https://[::1]:port/path");
    }
    url.host = std::string(authority.substr(0, close + 1));
    auto const after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        throw core::InvalidInput("the URL " + url.scheme + "://" + url.host +
                                 " has characters after its IPv6 address");
      }
      port = after.substr(1);
    }
  } else if (auto const colon = authority.rfind(':'); colon != std::string_view::npos) {
    url.host = std::string(authority.substr(0, colon));
    port = authority.substr(colon + 1);
  } else {
    url.host = std::string(authority);
  }
  url.port = std::string(port);

  if (url.scheme != "https" && url.scheme != "http") {
    throw core::InvalidInput("the URL " + url.origin() + " is not http(s); write it as https://" +
                             url.host + "/...");
  }
  if (url.host.empty()) {
    throw core::InvalidInput("the URL " + url.scheme + ":// names no host; write it as " +
                             url.scheme + "://host/path");
  }
  if (!url.port.empty() && (!is_digits(url.port) || url.port.size() > 5 ||
                            url.effective_port() < 1 || url.effective_port() > 65535)) {
    throw core::InvalidInput("the URL " + url.scheme + "://" + url.host + " has the port \"" +
                             url.port + "\"; use a number from 1 to 65535");
  }

  auto const fragment = rest.find('#');
  rest = rest.substr(0, fragment);
  auto const question = rest.find('?');
  url.path = std::string(rest.substr(0, question));
  if (question != std::string_view::npos) {
    url.query = std::string(rest.substr(question + 1));
  }
  return url;
}

std::optional<std::string> query_parameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto const amp = query.find('&');
    auto const pair = query.substr(0, amp);
    auto const equals = pair.find('=');
    if (percent_decode(pair.substr(0, equals), true) == name) {
      return equals == std::string_view::npos ? std::string{}
                                              : percent_decode(pair.substr(equals + 1), true);
    }
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string percent_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string result;
  result.reserve(text.size());
  for (char const c : text) {
    auto const byte = static_cast<unsigned char>(c);
    if (is_unreserved(byte)) {
      result.push_back(c);
    } else {
      result.push_back('%');
      result.push_back(k_hex[byte >> 4U]);
      result.push_back(k_hex[byte & 0x0FU]);
    }
  }
  return result;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int const high = hex_value(text[i + 1]);
      int const low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        result.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    result.push_back(plus_is_space && text[i] == '+' ? ' ' : text[i]);
  }
  return result;
}

} // namespace wisetup::http
