#include "sim/arm_call.hpp"

#include "sim/encoding.hpp"

namespace wisetup::sim {

ArmError::ArmError(int status, std::string code, std::string const& message, std::string target)
    : std::runtime_error(message), m_status(status), m_code(std::move(code)),
      m_target(std::move(target)) {}

nlohmann::json ArmError::envelope() const {
  nlohmann::json error = {{"code", m_code}, {"message", what()}};
  if (!m_target.empty()) {
    error["target"] = m_target;
  }
  return {{"error", std::move(error)}};
}

nlohmann::json ArmCall::body_object() const {
  auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    throw ArmError(400,
                   "InvalidRequestContent",
                   "The request content was invalid and could not be deserialized: 'the body is "
                   "not valid JSON'.");
  }
  if (!body.is_object()) {
    throw ArmError(400,
                   "InvalidRequestContent",
                   "The request content was invalid and could not be deserialized: 'a JSON object "
                   "was expected'.");
  }
  return body;
}

std::string ArmCall::header(char const* name) const {
  return request.get_header_value(name);
}

std::string ArmCall::query(char const* name) const {
  return request.get_param_value(name);
}

void throw_resource_not_found(std::string const& type_and_name, std::string const& resource_group) {
  throw ArmError(404,
                 "ResourceNotFound",
                 "The Resource '" + type_and_name + "' under resource group '" + resource_group +
                     "' was not found. For more details please go to "
                     "https://aka.ms/ARMResourceNotFoundFix");
}

std::string normalize_location(std::string const& location) {
  std::string out;
  for (char const c : to_lower(location)) {
    if (c != ' ') {
      out.push_back(c);
    }
  }
  return out;
}

std::string required_location(nlohmann::json const& body) {
  auto const found = body.find("location");
  if (found == body.end() || !found->is_string() || found->get<std::string>().empty()) {
    throw ArmError(400,
                   "LocationRequired",
                   "The location property is required for this definition.",
                   "location");
  }
  return normalize_location(found->get<std::string>());
}

void check_same_location(nlohmann::json const& existing,
                         std::string const& location,
                         std::string const& resource_group) {
  std::string const current = normalize_location(existing.value("location", ""));
  if (current != location) {
    throw ArmError(409,
                   "InvalidResourceLocation",
                   "The resource '" + existing.value("name", "") +
                       "' already exists in location '" + current + "' in resource group '" +
                       resource_group +
                       "'. A resource with the same name cannot be created in "
                       "location '" +
                       location + "'. Please select a new resource name.");
  }
}

nlohmann::json optional_tags(nlohmann::json const& body) {
  auto const found = body.find("tags");
  if (found == body.end() || found->is_null()) {
    return nullptr;
  }
  if (!found->is_object()) {
    throw ArmError(400,
                   "InvalidRequestContent",
                   "The request content was invalid and could not be deserialized: 'tags must be "
                   "an object of strings'.",
                   "tags");
  }
  for (auto const& [key, value] : found->items()) {
    if (!value.is_string()) {
      throw ArmError(400,
                     "InvalidRequestContent",
                     "The request content was invalid and could not be deserialized: 'the value "
                     "of tag \"" +
                         key + "\" must be a string'.",
                     "tags");
    }
  }
  return *found;
}

} // namespace wisetup::sim
