#include "azure/json_fields.hpp"

namespace wisetup::azure::detail {

nlohmann::json const* find_path(nlohmann::json const& object,
                                std::initializer_list<std::string_view> names) {
  nlohmann::json const* current = &object;
  for (auto const name : names) {
    if (!current->is_object()) {
      return nullptr;
    }
    auto const found = current->find(name);
    if (found == current->end()) {
      return nullptr;
    }
    current = &*found;
  }
  return current;
}

std::string string_at(nlohmann::json const& object, std::initializer_list<std::string_view> names) {
  auto const* value = find_path(object, names);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

bool bool_at(nlohmann::json const& object, std::initializer_list<std::string_view> names) {
  auto const* value = find_path(object, names);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

std::vector<std::string> strings_at(nlohmann::json const& object,
                                    std::initializer_list<std::string_view> names) {
  std::vector<std::string> values;
  auto const* array = find_path(object, names);
  if (array == nullptr || !array->is_array()) {
    return values;
  }
  for (auto const& element : *array) {
    if (element.is_string()) {
      values.push_back(element.get<std::string>());
    }
  }
  return values;
}

} // namespace wisetup::azure::detail
