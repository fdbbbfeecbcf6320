#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wisetup::azure::detail {

/// Decodes standard base64 (RFC 4648 alphabet; whitespace ignored; padding optional but only at
/// the end). nullopt when `text` is not base64.
[[nodiscard]] std::optional<std::string> decode_base64(std::string_view text);

} // namespace wisetup::azure::detail
