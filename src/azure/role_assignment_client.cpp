// Microsoft.Authorization/roleAssignments at a scope, api-version 2022-04-01: list by principal,
// PUT with a deterministic name, DELETE by id. Synchronous.
#include "azure/json_fields.hpp"

#include <wisetup/azure/resource_ref.hpp>
#include <wisetup/azure/role_assignment_client.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/guid.hpp>
#include <wisetup/http/service_error.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <span>
#include <string_view>

namespace wisetup::azure {
namespace {

using detail::string_at;

/// The namespace of wi-setup's role assignment names (a fixed random UUID: changing it would
/// give every existing assignment a new name and make re-runs create duplicates).
constexpr std::string_view k_name_namespace{
    "\x6f\x1c\x3a\x52\x9e\x47\x4b\x8d\xa2\x05\x7c\x61\xd9\x3e\x80\xf4", 16};

/// "/subscriptions/..." with exactly one leading slash and no trailing one.
std::string normalized_scope(std::string scope) {
  while (!scope.empty() && scope.back() == '/') {
    scope.pop_back();
  }
  auto const first = scope.find_first_not_of('/');
  std::string normalized(1, '/');
  if (first != std::string::npos) {
    normalized.append(scope, first);
  }
  return normalized;
}

std::string assignments_path(std::string const& scope) {
  return normalized_scope(scope) + "/providers/Microsoft.Authorization/roleAssignments";
}

RoleAssignment parse_assignment(nlohmann::json const& body) {
  return RoleAssignment{string_at(body, {"id"}),
                        string_at(body, {"name"}),
                        string_at(body, {"properties", "scope"}),
                        string_at(body, {"properties", "roleDefinitionId"}),
                        string_at(body, {"properties", "principalId"}),
                        string_at(body, {"properties", "principalType"})};
}

std::string query_encode(std::string_view value) {
  // Path-segment encoding leaves only unreserved characters, which is also right for a query.
  return encode_path_segment(value);
}

} // namespace

std::vector<RoleAssignment>
RoleAssignmentClient::list_for_principal(std::string const& scope,
                                         std::string const& principal_id) const {
  auto const filter = "principalId eq '" + principal_id + "'";
  auto page = m_arm.send(http::Method::Get,
                         assignments_path(scope) + "?$filter=" + query_encode(filter),
                         k_api_version,
                         std::nullopt);
  std::vector<RoleAssignment> assignments;
  for (;;) {
    if (auto const* values = detail::find_path(page.body, {"value"});
        values != nullptr && values->is_array()) {
      for (auto const& value : *values) {
        assignments.push_back(parse_assignment(value));
      }
    }
    auto const next = string_at(page.body, {"nextLink"});
    if (next.empty()) {
      return assignments;
    }
    page = m_arm.get_url(next);
  }
}

void RoleAssignmentClient::create(std::string const& scope,
                                  std::string const& role_definition_id,
                                  std::string const& principal_id,
                                  std::string const& principal_type) const {
  nlohmann::json const body{{"properties",
                             {{"roleDefinitionId", role_definition_id},
                              {"principalId", principal_id},
                              {"principalType", principal_type}}}};
  auto const path =
      assignments_path(scope) + "/" + name_for(scope, role_definition_id, principal_id);
  try {
    (void)m_arm.send(http::Method::Put, path, k_api_version, body);
  } catch (http::ServiceError const& error) {
    // The same (scope, role, principal) under another name, e.g. made by hand: already done.
    if (error.fault().status != 409 || error.fault().code != "RoleAssignmentExists") {
      throw;
    }
  }
}

bool RoleAssignmentClient::remove(std::string const& assignment_id) const {
  // Only ever DELETE a role assignment: an id of anything else (or one carrying a query) would
  // delete whatever it names with the caller's rights.
  constexpr std::string_view k_marker = "/providers/Microsoft.Authorization/roleAssignments/";
  auto const lower = core::to_lower(assignment_id);
  auto const marker = lower.rfind(core::to_lower(k_marker));
  if (marker == std::string::npos || marker + k_marker.size() >= lower.size() ||
      assignment_id.find_first_of("?#") != std::string::npos ||
      assignment_id.find('/', marker + k_marker.size()) != std::string::npos) {
    throw core::InvalidInput("\"" + assignment_id +
                             "\" is not a role assignment id (.../providers/"
                             "Microsoft.Authorization/roleAssignments/NAME).");
  }
  return m_arm.remove(assignment_id, k_api_version);
}

std::string RoleAssignmentClient::name_for(std::string const& scope,
                                           std::string const& role_definition_id,
                                           std::string const& principal_id) {
  // UUID version 5: SHA-1 over namespace + name, truncated to 128 bits, version and variant set.
  auto const name =
      core::to_lower(normalized_scope(scope) + "|" + role_definition_id + "|" + principal_id);
  std::string input(k_name_namespace.begin(), k_name_namespace.end());
  input += name;
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1 ||
      length < 16) {
    throw core::Error("OpenSSL could not compute a SHA-1 digest for a role assignment name.");
  }
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0FU) | 0x50U);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3FU) | 0x80U);
  return http::format_guid(std::span<std::uint8_t const, 16>(digest.data(), 16));
}

} // namespace wisetup::azure
