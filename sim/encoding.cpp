#include "sim/encoding.hpp"

#include <cctype>

namespace wisetup::sim {
namespace {

constexpr std::string_view k_base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_core(std::string_view bytes, bool url_safe) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  auto emit = [&](unsigned value) {
    char c = k_base64_alphabet[value & 0x3Fu];
    if (url_safe && c == '+') {
      c = '-';
    } else if (url_safe && c == '/') {
      c = '_';
    }
    out.push_back(c);
  };
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned const chunk = (static_cast<unsigned char>(bytes[i]) << 16u) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8u) |
                           static_cast<unsigned char>(bytes[i + 2]);
    emit(chunk >> 18u);
    emit(chunk >> 12u);
    emit(chunk >> 6u);
    emit(chunk);
  }
  std::size_t const rest = bytes.size() - i;
  if (rest == 1) {
    unsigned const chunk = static_cast<unsigned char>(bytes[i]) << 16u;
    emit(chunk >> 18u);
    emit(chunk >> 12u);
    if (!url_safe) {
      out += "==";
    }
  } else if (rest == 2) {
    unsigned const chunk = (static_cast<unsigned char>(bytes[i]) << 16u) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8u);
    emit(chunk >> 18u);
    emit(chunk >> 12u);
    emit(chunk >> 6u);
    if (!url_safe) {
      out += "=";
    }
  }
  return out;
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

char lower_char(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

} // namespace

std::string base64_encode(std::string_view bytes) {
  return base64_core(bytes, false);
}

std::string base64url_encode(std::string_view bytes) {
  return base64_core(bytes, true);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
  }
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  unsigned bits = 0;
  for (char const c : text) {
    unsigned value = 0;
    if (c >= 'A' && c <= 'Z') {
      value = static_cast<unsigned>(c - 'A');
    } else if (c >= 'a' && c <= 'z') {
      value = static_cast<unsigned>(c - 'a') + 26;
    } else if (c >= '0' && c <= '9') {
      value = static_cast<unsigned>(c - '0') + 52;
    } else if (c == '-') {
      value = 62;
    } else if (c == '_') {
      value = 63;
    } else {
      return std::nullopt;
    }
    buffer = ((buffer << 6u) | value) & 0xFFFFFFu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFFu));
    }
  }
  return out;
}

std::string url_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char const c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int const high = hex_value(text[i + 1]);
      int const low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr std::string_view k_hex = "0123456789ABCDEF";
  std::string out;
  for (char const c : text) {
    auto const u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(k_hex[u >> 4u]);
      out.push_back(k_hex[u & 0x0Fu]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!body.empty()) {
    auto const amp = body.find('&');
    auto const pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    auto const eq = pair.find('=');
    if (eq == std::string_view::npos) {
      fields.emplace_back(url_decode(pair, true), std::string{});
    } else {
      fields.emplace_back(url_decode(pair.substr(0, eq), true),
                          url_decode(pair.substr(eq + 1), true));
    }
  }
  return fields;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = lower_char(c);
  }
  return out;
}

bool iequals(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) {
    return false;
  }
  for (std::size_t i = 0; i < left.size(); ++i) {
    if (lower_char(left[i]) != lower_char(right[i])) {
      return false;
    }
  }
  return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

} // namespace wisetup::sim
