#include <wisetup/http/guid.hpp>

#include <array>
#include <random>

namespace wisetup::http {

std::string format_guid(std::span<std::uint8_t const, 16> bytes) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string guid;
  guid.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      guid.push_back('-');
    }
    guid.push_back(k_hex[bytes[i] >> 4U]);
    guid.push_back(k_hex[bytes[i] & 0x0FU]);
  }
  return guid;
}

std::string random_guid() {
  // Per-thread generator: steps send requests from several threads at once.
  thread_local std::mt19937_64 generator{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64{seed};
  }()};
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    auto value = generator();
    for (std::size_t j = 0; j < 8; ++j) {
      bytes[i + j] = static_cast<std::uint8_t>(value >> (8 * j));
    }
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0FU) | 0x40U); // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3FU) | 0x80U); // RFC 4122 variant
  return format_guid(bytes);
}

} // namespace wisetup::http
