// Microsoft.ManagedIdentity: user-assigned identities and their federated identity credentials
// (reference sections 3.1-3.3).
#include "sim/arm_handlers.hpp"
#include "sim/encoding.hpp"
#include "sim/random_values.hpp"

#include <charconv>
#include <regex>
#include <thread>

namespace wisetup::sim {
namespace {

constexpr char const* k_identity_type = "Microsoft.ManagedIdentity/userAssignedIdentities";
constexpr char const* k_credential_type =
    "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
constexpr std::size_t k_max_credentials = 20;
constexpr std::size_t k_max_claim_length = 600;
constexpr int k_default_page_size = 10;

std::string identity_id(ArmCall const& call) {
  return "/subscriptions/" + call.params.at(0) + "/resourcegroups/" + call.params.at(1) +
         "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + call.params.at(2);
}

std::string identity_key(ArmCall const& call) {
  return to_lower(identity_id(call));
}

std::string credentials_prefix(std::string const& identity_key) {
  return identity_key + "/federatedidentitycredentials/";
}

std::string credential_key(ArmCall const& call) {
  return credentials_prefix(identity_key(call)) + to_lower(call.params.at(3));
}

nlohmann::json& find_identity(ArmCall& call) {
  auto const found = call.state.resources.find(identity_key(call));
  if (found == call.state.resources.end()) {
    throw_resource_not_found(
        "Microsoft.ManagedIdentity/userAssignedIdentities/" + call.params.at(2), call.params.at(1));
  }
  return found->second;
}

[[noreturn]] void credential_not_found(ArmCall const& call) {
  throw_resource_not_found("Microsoft.ManagedIdentity/userAssignedIdentities/" + call.params.at(2) +
                               "/federatedIdentityCredentials/" + call.params.at(3),
                           call.params.at(1));
}

[[noreturn]] void bad_credential(std::string const& message, std::string const& target) {
  throw ArmError(400, "BadRequest", message, target);
}

std::string required_claim(nlohmann::json const& properties, char const* field) {
  auto const found = properties.find(field);
  if (found == properties.end() || !found->is_string() || found->get<std::string>().empty()) {
    bad_credential(std::string("The federated identity credential property '") + field +
                       "' is required and must be a non-empty string.",
                   std::string("properties.") + field);
  }
  std::string value = found->get<std::string>();
  if (value.size() > k_max_claim_length) {
    bad_credential(std::string("The federated identity credential property '") + field +
                       "' is longer than 600 characters.",
                   std::string("properties.") + field);
  }
  return value;
}

// Validates the body of a federated credential PUT; returns its properties in wire form.
nlohmann::json credential_properties(nlohmann::json const& body) {
  auto const found = body.find("properties");
  if (found == body.end() || !found->is_object() || found->empty()) {
    bad_credential("The request body must contain 'properties' with issuer, subject and "
                   "audiences.",
                   "properties");
  }
  nlohmann::json const& properties = *found;
  std::string const issuer = required_claim(properties, "issuer");
  if (!istarts_with(issuer, "https://")) {
    bad_credential("The issuer '" + issuer + "' is invalid: it must be an https URL.",
                   "properties.issuer");
  }
  std::string const subject = required_claim(properties, "subject");
  auto const audiences = properties.find("audiences");
  if (audiences == properties.end() || !audiences->is_array() || audiences->size() != 1 ||
      !(*audiences)[0].is_string() || (*audiences)[0].get<std::string>().empty()) {
    bad_credential("The federated identity credential property 'audiences' must hold exactly one "
                   "non-empty audience, e.g. [\"api://AzureADTokenExchange\"].",
                   "properties.audiences");
  }
  if ((*audiences)[0].get<std::string>().size() > k_max_claim_length) {
    bad_credential("The audience is longer than 600 characters.", "properties.audiences");
  }
  return {{"issuer", issuer}, {"subject", subject}, {"audiences", *audiences}};
}

// Holds the identity's federated-credential write slot, so that a concurrent write to the same
// identity is refused with 409 as Azure does; released on every path.
class CredentialWriteSlot {
public:
  CredentialWriteSlot(ArmCall& call, std::string key) : m_call(call), m_key(std::move(key)) {
    if (!m_call.context.fic_writes_in_flight.insert(m_key).second) {
      throw ArmError(409,
                     "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
                     "Too many Federated Identity Credentials are written concurrently for the "
                     "managed identity '" +
                         m_key +
                         "'. Concurrent Federated Identity Credentials writes under the same "
                         "managed identity are not supported.");
    }
  }
  ~CredentialWriteSlot() { m_call.context.fic_writes_in_flight.erase(m_key); }
  CredentialWriteSlot(CredentialWriteSlot const&) = delete;
  CredentialWriteSlot& operator=(CredentialWriteSlot const&) = delete;

  // The write takes time; other requests are served meanwhile.
  void hold() {
    auto const duration = m_call.context.options.fic_write_hold;
    if (duration.count() > 0) {
      m_call.lock.unlock();
      std::this_thread::sleep_for(duration);
      m_call.lock.lock();
    }
  }

private:
  ArmCall& m_call;
  std::string m_key;
};

int positive_query_number(ArmCall const& call, char const* name, int fallback, int minimum) {
  std::string const text = call.query(name);
  if (text.empty()) {
    return fallback;
  }
  int value = 0;
  auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < minimum) {
    throw ArmError(400,
                   "BadRequest",
                   std::string("The query parameter '") + name + "' value '" + text +
                       "' is invalid.");
  }
  return value;
}

} // namespace

ArmReply get_identity(ArmCall& call) {
  return {200, find_identity(call), {}};
}

ArmReply put_identity(ArmCall& call) {
  nlohmann::json const body = call.body_object();
  static std::regex const k_name_rule{"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$"};
  if (!std::regex_match(call.params.at(2), k_name_rule)) {
    throw ArmError(400,
                   "InvalidResourceName",
                   "Resource name '" + call.params.at(2) +
                       "' is invalid. The name can be 3-128 characters long, can contain letters, "
                       "digits, hyphens and underscores, and must start with a letter or digit.",
                   "name");
  }
  std::string const location = required_location(body);
  std::string const key = identity_key(call);
  auto const found = call.state.resources.find(key);
  bool const created = found == call.state.resources.end();
  nlohmann::json properties = {
      {"tenantId", call.state.tenant_id}, {"principalId", new_guid()}, {"clientId", new_guid()}};
  std::string id = identity_id(call);
  std::string name = call.params.at(2);
  if (!created) {
    check_same_location(found->second, location, call.params.at(1));
    properties = found->second["properties"];
    id = found->second.value("id", id);
    name = found->second.value("name", name);
  }
  if (call.api_version >= "2024-11-30" && call.api_version.find("preview") == std::string::npos) {
    properties["isolationScope"] = properties.value("isolationScope", "None");
  }
  nlohmann::json tags = optional_tags(body);
  nlohmann::json identity = {{"id", id},
                             {"name", name},
                             {"type", k_identity_type},
                             {"location", location},
                             {"tags", tags.is_null() ? nlohmann::json::object() : tags},
                             {"properties", properties}};
  call.state.resources[key] = identity;
  call.state.directory_objects[to_lower(properties["principalId"].get<std::string>())] =
      "ServicePrincipal";
  return {created ? 201 : 200, std::move(identity), {}};
}

ArmReply patch_identity(ArmCall& call) {
  nlohmann::json const body = call.body_object();
  nlohmann::json& identity = find_identity(call);
  if (nlohmann::json tags = optional_tags(body); !tags.is_null()) {
    identity["tags"] = std::move(tags);
  }
  return {200, identity, {}};
}

ArmReply delete_identity(ArmCall& call) {
  std::string const key = identity_key(call);
  auto const found = call.state.resources.find(key);
  if (found == call.state.resources.end()) {
    return {204, nullptr, {}};
  }
  std::string const principal_id = found->second["properties"].value("principalId", "");
  call.state.resources.erase(found);
  // Its federated credentials go with it; role assignments stay behind as orphans, as in Azure.
  std::string const prefix = credentials_prefix(key);
  for (auto it = call.state.resources.lower_bound(prefix);
       it != call.state.resources.end() && it->first.rfind(prefix, 0) == 0;) {
    it = call.state.resources.erase(it);
  }
  call.state.directory_objects.erase(to_lower(principal_id));
  return {200, nullptr, {}};
}

ArmReply list_federated_credentials(ArmCall& call) {
  find_identity(call);
  int const page_size = positive_query_number(call, "$top", k_default_page_size, 1);
  int const skip = positive_query_number(call, "$skiptoken", 0, 0);
  std::string const prefix = credentials_prefix(identity_key(call));
  auto page = nlohmann::json::array();
  int index = 0;
  bool more = false;
  for (auto it = call.state.resources.lower_bound(prefix);
       it != call.state.resources.end() && it->first.rfind(prefix, 0) == 0;
       ++it, ++index) {
    if (index < skip) {
      continue;
    }
    if (static_cast<int>(page.size()) == page_size) {
      more = true;
      break;
    }
    page.push_back(it->second);
  }
  nlohmann::json result = {{"value", std::move(page)}};
  if (more) {
    std::string link = call.context.base_url + call.request.path +
                       "?api-version=" + url_encode(call.api_version) +
                       "&$skiptoken=" + std::to_string(skip + page_size);
    if (!call.query("$top").empty()) {
      link += "&$top=" + std::to_string(page_size);
    }
    result["nextLink"] = link;
  }
  return {200, std::move(result), {}};
}

ArmReply get_federated_credential(ArmCall& call) {
  find_identity(call);
  auto const found = call.state.resources.find(credential_key(call));
  if (found == call.state.resources.end()) {
    credential_not_found(call);
  }
  return {200, found->second, {}};
}

ArmReply put_federated_credential(ArmCall& call) {
  nlohmann::json const body = call.body_object();
  find_identity(call);
  static std::regex const k_name_rule{"^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$"};
  if (!std::regex_match(call.params.at(3), k_name_rule)) {
    bad_credential("The federated identity credential name '" + call.params.at(3) +
                       "' is invalid: use 3-120 letters, digits, '-' or '_', starting with a "
                       "letter or digit.",
                   "name");
  }
  nlohmann::json const properties = credential_properties(body);

  CredentialWriteSlot slot{call, identity_key(call)};
  slot.hold();
  nlohmann::json const& identity = find_identity(call); // it may have gone while we waited
  std::string const key = credential_key(call);
  std::string const prefix = credentials_prefix(identity_key(call));
  std::size_t count = 0;
  for (auto it = call.state.resources.lower_bound(prefix);
       it != call.state.resources.end() && it->first.rfind(prefix, 0) == 0;
       ++it) {
    ++count;
    nlohmann::json const& other = it->second["properties"];
    if (it->first != key && other.value("issuer", "") == properties["issuer"] &&
        other.value("subject", "") == properties["subject"]) {
      bad_credential("Issuer and subject combination already exists for this Managed Identity.",
                     "properties");
    }
  }
  auto const found = call.state.resources.find(key);
  bool const created = found == call.state.resources.end();
  if (created && count >= k_max_credentials) {
    bad_credential("The managed identity '" + identity.value("name", "") +
                       "' already has the maximum of 20 federated identity credentials.",
                   "name");
  }
  std::string const name = created ? call.params.at(3) : found->second.value("name", "");
  nlohmann::json credential = {
      {"id", identity.value("id", "") + "/federatedIdentityCredentials/" + name},
      {"name", name},
      {"type", k_credential_type},
      {"properties", properties}};
  call.state.resources[key] = credential;
  return {created ? 201 : 200, std::move(credential), {}};
}

ArmReply delete_federated_credential(ArmCall& call) {
  find_identity(call);
  CredentialWriteSlot slot{call, identity_key(call)};
  slot.hold();
  auto const found = call.state.resources.find(credential_key(call));
  if (found == call.state.resources.end()) {
    return {204, nullptr, {}};
  }
  call.state.resources.erase(found);
  return {200, nullptr, {}};
}

} // namespace wisetup::sim
