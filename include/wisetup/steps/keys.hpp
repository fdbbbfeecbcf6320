#pragma once

#include <wisetup/azure/key_vault_client.hpp>
#include <wisetup/azure/managed_cluster_client.hpp>
#include <wisetup/azure/managed_identity_client.hpp>
#include <wisetup/azure/resource_ref.hpp>
#include <wisetup/workflow/state_key.hpp>

#include <optional>
#include <string>
#include <vector>

/// The values the steps of `enable` exchange. Inputs come from the command line; the rest are
/// outputs of one step read by others.
namespace wisetup::steps::keys {

using workflow::StateKey;

// Inputs.
inline constexpr StateKey<azure::ResourceRef> cluster{"cluster"};
inline constexpr StateKey<azure::ResourceRef> identity{"identity"};
inline constexpr StateKey<std::string> identity_location{"identity-location"};
inline constexpr StateKey<azure::ResourceRef> key_vault{"key-vault"};
inline constexpr StateKey<azure::VaultPermissions> vault_permissions{"vault-permissions"};
inline constexpr StateKey<std::string> kube_namespace{"namespace"};
inline constexpr StateKey<std::string> service_account{"service-account"};
inline constexpr StateKey<std::string> federated_credential_name{"federated-credential-name"};
inline constexpr StateKey<std::string> audience{"audience"};

// Outputs.
inline constexpr StateKey<std::string> cluster_location{"cluster-location"};
inline constexpr StateKey<azure::ManagedCluster> enabled_cluster{"enabled-cluster"};
inline constexpr StateKey<std::string> issuer_url{"issuer-url"};
inline constexpr StateKey<azure::UserAssignedIdentity> managed_identity{"managed-identity"};
inline constexpr StateKey<azure::KeyVault> found_key_vault{"found-key-vault"};
inline constexpr StateKey<std::string> vault_access{"vault-access"};
inline constexpr StateKey<std::string> service_account_subject{"service-account-subject"};
inline constexpr StateKey<azure::FederatedCredential> federated_credential{"federated-credential"};

// Outputs of disable's steps. Each "-removed" key is set once its step has nothing left to do, so
// that the identity is deleted last: a re-run after an interruption still finds the principal.
inline constexpr StateKey<std::optional<azure::UserAssignedIdentity>> found_identity{
    "found-identity"};
inline constexpr StateKey<std::vector<azure::FederatedCredential>> other_credentials{
    "other-credentials"};
inline constexpr StateKey<std::string> credential_removed{"credential-removed"};
inline constexpr StateKey<std::string> service_account_unbound{"service-account-unbound"};
inline constexpr StateKey<std::string> vault_access_removed{"vault-access-removed"};

} // namespace wisetup::steps::keys
