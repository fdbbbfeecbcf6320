#pragma once

#include <optional>
#include <string>
#include <string_view>

/// The one base64 codec of the client (RFC 4648), over OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock:
/// JWT parts and thumbprints (base64url), x5c certificates, kubeconfigs from ARM and their inline
/// PEM data (standard base64).
namespace wisetup::http {

/// Standard base64 (RFC 4648 section 4), padded with '=' to a multiple of four characters.
[[nodiscard]] std::string base64_encode(std::string_view bytes);

/// base64url (RFC 4648 section 5) without padding, as every part of a JWT (RFC 7515 section 2).
[[nodiscard]] std::string base64url_encode(std::string_view bytes);

/// Decodes standard base64. ASCII whitespace (line breaks of PEM or YAML) is ignored; padding is
/// optional, but when present it must complete the last group and nothing may follow it. nullopt
/// when `text` is not base64: a character outside the alphabet ('-' and '_' included), a length
/// that no encoding has, or misplaced padding.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

/// Decodes base64url ('-' and '_' for '+' and '/'); padding is optional as above, whitespace is
/// not allowed. nullopt when `text` is not base64url ('+' and '/' included).
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);

} // namespace wisetup::http
