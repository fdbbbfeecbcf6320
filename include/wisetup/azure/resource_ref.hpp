#pragma once

#include <string>

namespace wisetup::azure {

/// A resource in a resource group: /subscriptions/S/resourceGroups/G/providers/<type>/N.
struct ResourceRef {
  std::string subscription;
  std::string resource_group;
  std::string name;
};

} // namespace wisetup::azure
