#pragma once

#include <string>
#include <string_view>

namespace wisetup::azure {

/// A resource in a resource group: /subscriptions/S/resourceGroups/G/providers/<type>/N.
struct ResourceRef {
  std::string subscription;
  std::string resource_group;
  std::string name;
};

/// "/subscriptions/S/resourceGroups/G/providers/<provider_type>/N" with every user-supplied
/// segment percent-encoded. `provider_type` is a constant such as
/// "Microsoft.KeyVault/vaults". Throws core::InvalidInput when a field of `ref` is empty.
[[nodiscard]] std::string resource_path(ResourceRef const& ref, std::string_view provider_type);

/// "/subscriptions/S/resourceGroups/G": the scope of `ref`'s resource group, encoded as above.
[[nodiscard]] std::string resource_group_path(ResourceRef const& ref);

/// Percent-encodes one URL path segment (everything but RFC 3986 unreserved characters), so a
/// name can never add a path segment or a query string.
[[nodiscard]] std::string encode_path_segment(std::string_view segment);

} // namespace wisetup::azure
