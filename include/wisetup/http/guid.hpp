#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace wisetup::http {

/// 16 bytes in the lower-case 8-4-4-4-12 form of a GUID ("0f1e2d3c-..."), in the order given
/// (RFC 9562's byte order, as version 4 and version 5 UUIDs are built).
[[nodiscard]] std::string format_guid(std::span<std::uint8_t const, 16> bytes);

/// A random (version 4) GUID in lower-case 8-4-4-4-12 form, from a per-thread generator.
[[nodiscard]] std::string random_guid();

} // namespace wisetup::http
