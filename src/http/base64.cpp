#include <wisetup/http/base64.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <cstddef>

namespace wisetup::http {
namespace {

enum class Alphabet { Standard, Url };

/// OpenSSL's block functions take an int length: larger input goes through in pieces. Whole
/// groups (3 bytes in, 4 characters out), so that only the last piece can carry padding.
constexpr std::size_t k_piece_bytes = 3 * 16384;
constexpr std::size_t k_piece_chars = 4 * 16384;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_alphanumeric(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::string encode(std::string_view bytes, Alphabet alphabet) {
  auto const size = 4 * ((bytes.size() + 2) / 3);
  // EVP_EncodeBlock also writes a terminating NUL.
  std::string out(size + 1, '\0');
  auto* to = reinterpret_cast<unsigned char*>(out.data());
  for (std::size_t at = 0; at < bytes.size(); at += k_piece_bytes) {
    auto const piece = bytes.substr(at, k_piece_bytes);
    auto const written = EVP_EncodeBlock(
        to, reinterpret_cast<unsigned char const*>(piece.data()), static_cast<int>(piece.size()));
    to += written;
  }
  out.resize(size);
  if (alphabet == Alphabet::Url) {
    while (!out.empty() && out.back() == '=') {
      out.pop_back();
    }
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
  }
  return out;
}

std::optional<std::string> decode(std::string_view text, Alphabet alphabet) {
  // The characters, in the standard alphabet, without whitespace and without the padding.
  std::string standard;
  standard.reserve(text.size() + 3);
  for (char const c : text) {
    if (alphabet == Alphabet::Standard && is_space(c)) {
      continue;
    }
    standard += c;
  }
  auto const last = standard.find_last_not_of('=');
  auto const data_size = last == std::string::npos ? 0 : last + 1;
  auto const padding = standard.size() - data_size;
  // One character carries 6 bits, less than a byte; padding only completes the last group.
  if (data_size % 4 == 1 || padding > 2 || (padding > 0 && (data_size + padding) % 4 != 0)) {
    return std::nullopt;
  }
  standard.resize(data_size);
  for (auto& c : standard) {
    if (is_alphanumeric(c)) {
      continue;
    }
    if (alphabet == Alphabet::Standard && (c == '+' || c == '/')) {
      continue;
    }
    if (alphabet == Alphabet::Url && (c == '-' || c == '_')) {
      c = c == '-' ? '+' : '/';
      continue;
    }
    return std::nullopt; // outside the alphabet, or '=' before the end
  }
  // EVP_DecodeBlock wants whole groups and decodes each '=' to a zero byte: add the padding, then
  // remove exactly as many bytes as it added.
  auto const missing = (4 - data_size % 4) % 4;
  standard.append(missing, '=');
  std::string out(standard.size() / 4 * 3, '\0');
  auto* to = reinterpret_cast<unsigned char*>(out.data());
  for (std::size_t at = 0; at < standard.size(); at += k_piece_chars) {
    auto const piece = std::string_view(standard).substr(at, k_piece_chars);
    auto const written = EVP_DecodeBlock(
        to, reinterpret_cast<unsigned char const*>(piece.data()), static_cast<int>(piece.size()));
    if (written < 0 || static_cast<std::size_t>(written) != piece.size() / 4 * 3) {
      return std::nullopt;
    }
    to += written;
  }
  out.resize(out.size() - missing);
  return out;
}

} // namespace

std::string base64_encode(std::string_view bytes) {
  return encode(bytes, Alphabet::Standard);
}

std::string base64url_encode(std::string_view bytes) {
  return encode(bytes, Alphabet::Url);
}

std::optional<std::string> base64_decode(std::string_view text) {
  return decode(text, Alphabet::Standard);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  return decode(text, Alphabet::Url);
}

} // namespace wisetup::http
