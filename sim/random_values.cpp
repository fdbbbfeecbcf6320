#include "sim/random_values.hpp"

#include <openssl/rand.h>

#include <cctype>
#include <stdexcept>

namespace wisetup::sim {

std::string random_bytes(std::size_t byte_count) {
  std::string bytes(byte_count, '\0');
  if (byte_count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()),
                                   static_cast<int>(byte_count)) != 1) {
    throw std::runtime_error("the system's random number generator failed");
  }
  return bytes;
}

std::string random_hex(std::size_t byte_count) {
  static constexpr std::string_view k_hex = "0123456789abcdef";
  std::string out;
  out.reserve(byte_count * 2);
  for (char const byte : random_bytes(byte_count)) {
    auto const u = static_cast<unsigned char>(byte);
    out.push_back(k_hex[u >> 4u]);
    out.push_back(k_hex[u & 0x0Fu]);
  }
  return out;
}

std::string new_guid() {
  std::string hex = random_hex(16);
  hex[12] = '4';                                             // version 4
  hex[16] = "89ab"[static_cast<unsigned char>(hex[16]) % 4]; // RFC 4122 variant
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
         hex.substr(16, 4) + '-' + hex.substr(20);
}

bool is_guid(std::string_view text) {
  if (text.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool const dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) {
      return false;
    }
  }
  return true;
}

} // namespace wisetup::sim
