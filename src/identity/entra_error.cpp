#include "identity/entra_error.hpp"

#include <charconv>

namespace wisetup::identity::detail {

std::int64_t aadsts_code(nlohmann::json const& body, std::string_view description) {
  if (body.is_object()) {
    auto const codes = body.find("error_codes");
    if (codes != body.end() && codes->is_array() && !codes->empty() &&
        codes->front().is_number_integer()) {
      return codes->front().get<std::int64_t>();
    }
  }
  constexpr std::string_view k_prefix = "AADSTS";
  std::int64_t code = 0;
  if (description.starts_with(k_prefix)) {
    auto const digits = description.substr(k_prefix.size());
    (void)std::from_chars(digits.data(), digits.data() + digits.size(), code);
  }
  return code;
}

std::string first_sentence(std::string_view description) {
  if (description.starts_with("AADSTS")) {
    auto const colon = description.find(": ");
    if (colon != std::string_view::npos) {
      description.remove_prefix(colon + 2);
    }
  }
  auto end = description.find_first_of("\r\n");
  for (auto dot = description.find('.'); dot != std::string_view::npos && dot < end;
       dot = description.find('.', dot + 1)) {
    if (dot + 1 == description.size() || description[dot + 1] == ' ' ||
        description[dot + 1] == '\r' || description[dot + 1] == '\n') {
      end = dot + 1;
      break;
    }
  }
  return std::string(description.substr(0, end));
}

} // namespace wisetup::identity::detail
