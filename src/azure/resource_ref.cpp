#include <wisetup/azure/resource_ref.hpp>
#include <wisetup/core/error.hpp>
#include <wisetup/http/url.hpp>

namespace wisetup::azure {
namespace {

void require(std::string const& value, std::string const& message) {
  if (value.empty()) {
    throw core::InvalidInput(message);
  }
}

} // namespace

std::string encode_path_segment(std::string_view segment) {
  return http::percent_encode(segment);
}

std::string resource_group_path(ResourceRef const& ref) {
  require(ref.subscription,
          "The subscription id is empty; pass --subscription or set AZURE_SUBSCRIPTION_ID.");
  require(ref.resource_group, "The resource group name is empty; pass --resource-group.");
  return "/subscriptions/" + encode_path_segment(ref.subscription) + "/resourceGroups/" +
         encode_path_segment(ref.resource_group);
}

std::string resource_path(ResourceRef const& ref, std::string_view provider_type) {
  auto group = resource_group_path(ref);
  require(ref.name,
          "The name of the " + std::string(provider_type) + " resource is empty; pass its name.");
  return group + "/providers/" + std::string(provider_type) + "/" + encode_path_segment(ref.name);
}

} // namespace wisetup::azure
