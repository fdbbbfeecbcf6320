#include "azure/base64.hpp"

#include <cstdint>

namespace wisetup::azure::detail {
namespace {

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+') {
    return 62;
  }
  if (c == '/') {
    return 63;
  }
  return -1;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t group = 0;
  int count = 0; // sextets in `group`
  int padding = 0;
  for (char const c : text) {
    if (is_space(c)) {
      continue;
    }
    if (c == '=') {
      ++padding;
      continue;
    }
    auto const value = sextet(c);
    if (value < 0 || padding > 0) {
      return std::nullopt; // not base64, or data after padding
    }
    group = (group << 6U) | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      out += static_cast<char>((group >> 16U) & 0xFFU);
      out += static_cast<char>((group >> 8U) & 0xFFU);
      out += static_cast<char>(group & 0xFFU);
      group = 0;
      count = 0;
    }
  }
  // A final group of 2 or 3 sextets carries 1 or 2 bytes; padding, when present, must fill it.
  if (count == 1 || padding > 2 || (padding > 0 && count + padding != 4)) {
    return std::nullopt;
  }
  if (count == 2) {
    out += static_cast<char>((group >> 4U) & 0xFFU);
  } else if (count == 3) {
    out += static_cast<char>((group >> 10U) & 0xFFU);
    out += static_cast<char>((group >> 2U) & 0xFFU);
  }
  return out;
}

} // namespace wisetup::azure::detail
