// Microsoft.ManagedIdentity/userAssignedIdentities and their federatedIdentityCredentials,
// api-version 2023-01-31; every call (GET, PUT, DELETE) is synchronous.
#include "azure/json_fields.hpp"

#include <wisetup/azure/managed_identity_client.hpp>
#include <wisetup/core/error.hpp>

namespace wisetup::azure {
namespace {

using detail::string_at;
using detail::strings_at;

UserAssignedIdentity parse_identity(nlohmann::json const& body) {
  return UserAssignedIdentity{string_at(body, {"id"}),
                              string_at(body, {"name"}),
                              string_at(body, {"location"}),
                              string_at(body, {"properties", "clientId"}),
                              string_at(body, {"properties", "principalId"}),
                              string_at(body, {"properties", "tenantId"})};
}

FederatedCredential parse_credential(nlohmann::json const& body) {
  return FederatedCredential{string_at(body, {"name"}),
                             string_at(body, {"properties", "issuer"}),
                             string_at(body, {"properties", "subject"}),
                             strings_at(body, {"properties", "audiences"})};
}

std::string credentials_path(ResourceRef const& identity) {
  return identity_path(identity) + "/federatedIdentityCredentials";
}

} // namespace

std::string identity_path(ResourceRef const& identity) {
  return resource_path(identity, "Microsoft.ManagedIdentity/userAssignedIdentities");
}

std::optional<UserAssignedIdentity> ManagedIdentityClient::get(ResourceRef const& identity) const {
  auto const body = m_arm.get(identity_path(identity), k_api_version);
  if (!body) {
    return std::nullopt;
  }
  return parse_identity(*body);
}

UserAssignedIdentity ManagedIdentityClient::create(ResourceRef const& identity,
                                                   std::string const& location) const {
  auto const answer = m_arm.send(http::Method::Put,
                                 identity_path(identity),
                                 k_api_version,
                                 nlohmann::json{{"location", location}});
  return parse_identity(answer.body);
}

std::vector<FederatedCredential>
ManagedIdentityClient::list_federated_credentials(ResourceRef const& identity) const {
  std::vector<FederatedCredential> credentials;
  auto page =
      m_arm.send(http::Method::Get, credentials_path(identity), k_api_version, std::nullopt);
  for (;;) {
    if (auto const* values = detail::find_path(page.body, {"value"});
        values != nullptr && values->is_array()) {
      for (auto const& value : *values) {
        credentials.push_back(parse_credential(value));
      }
    }
    auto const next = string_at(page.body, {"nextLink"});
    if (next.empty()) {
      return credentials;
    }
    page = m_arm.get_url(next);
  }
}

FederatedCredential
ManagedIdentityClient::put_federated_credential(ResourceRef const& identity,
                                                FederatedCredential const& fic) const {
  nlohmann::json const body{
      {"properties",
       {{"issuer", fic.issuer}, {"subject", fic.subject}, {"audiences", fic.audiences}}}};
  auto const answer = m_arm.send(http::Method::Put,
                                 credentials_path(identity) + "/" + encode_path_segment(fic.name),
                                 k_api_version,
                                 body);
  return parse_credential(answer.body);
}

bool ManagedIdentityClient::delete_federated_credential(ResourceRef const& identity,
                                                        std::string const& name) const {
  if (name.empty()) {
    throw core::InvalidInput("A federated identity credential name is empty; pass a name.");
  }
  return m_arm.remove(credentials_path(identity) + "/" + encode_path_segment(name), k_api_version);
}

bool ManagedIdentityClient::delete_identity(ResourceRef const& identity) const {
  return m_arm.remove(identity_path(identity), k_api_version);
}

} // namespace wisetup::azure
