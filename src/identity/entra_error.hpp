#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

/// Reading the error answers of the Microsoft Entra token endpoints (token, device code).
namespace wisetup::identity::detail {

/// The AADSTS number: from error_codes, else from the "AADSTSnnnn:" prefix of the description;
/// 0 when there is none.
[[nodiscard]] std::int64_t aadsts_code(nlohmann::json const& body, std::string_view description);

/// The service's first sentence, without its "AADSTSnnnn: " prefix, trace ids and timestamps.
[[nodiscard]] std::string first_sentence(std::string_view description);

} // namespace wisetup::identity::detail
