#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wisetup::sim {

/// A random (version 4) GUID in lower case, 8-4-4-4-12. Throws std::runtime_error when the
/// system's random source fails.
[[nodiscard]] std::string new_guid();

/// `byte_count` random bytes as lower-case hex (twice as many characters).
[[nodiscard]] std::string random_hex(std::size_t byte_count);

/// `byte_count` random bytes.
[[nodiscard]] std::string random_bytes(std::size_t byte_count);

/// True for a GUID written 8-4-4-4-12 with hex digits of either case.
[[nodiscard]] bool is_guid(std::string_view text);

} // namespace wisetup::sim
