// Microsoft.Resources: subscriptions, tenants, resource groups and the generic resource list.
#include "sim/arm_handlers.hpp"
#include "sim/encoding.hpp"

#include <regex>

namespace wisetup::sim {
namespace {

nlohmann::json subscription_json(Subscription const& subscription, std::string const& tenant_id) {
  return {{"id", "/subscriptions/" + subscription.id},
          {"authorizationSource", "RoleBased"},
          {"managedByTenants", nlohmann::json::array()},
          {"subscriptionId", subscription.id},
          {"tenantId", tenant_id},
          {"displayName", subscription.display_name},
          {"state", "Enabled"},
          {"subscriptionPolicies",
           {{"locationPlacementId", "Public_2014-09-01"},
            {"quotaId", "PayAsYouGo_2014-09-01"},
            {"spendingLimit", "Off"}}}};
}

// One clause of a resources $filter; returns false when `resource` does not match. Clauses:
// resourceType eq '...', name eq '...', resourceGroup eq '...', substringof('...', name)
// (values case-insensitive, as ARM compares them). Others: 400 InvalidFilterInQueryString.
bool clause_matches(std::string const& clause, nlohmann::json const& resource) {
  static std::regex const k_equals{R"(^\s*(resourceType|name|resourceGroup)\s+eq\s+'([^']*)'\s*$)",
                                   std::regex::icase};
  static std::regex const k_substring{R"(^\s*substringof\(\s*'([^']*)'\s*,\s*name\s*\)\s*$)",
                                      std::regex::icase};
  std::smatch match;
  if (std::regex_match(clause, match, k_equals)) {
    std::string const field = to_lower(match[1].str());
    std::string const wanted = match[2].str();
    if (field == "resourcetype") {
      return iequals(resource.value("type", ""), wanted);
    }
    if (field == "name") {
      return iequals(resource.value("name", ""), wanted);
    }
    std::string const id = to_lower(resource.value("id", ""));
    std::string const marker = "/resourcegroups/" + to_lower(wanted) + "/";
    return id.find(marker) != std::string::npos;
  }
  if (std::regex_match(clause, match, k_substring)) {
    return to_lower(resource.value("name", "")).find(to_lower(match[1].str())) != std::string::npos;
  }
  throw ArmError(400,
                 "InvalidFilterInQueryString",
                 "The filter '" + clause +
                     "' is not supported by wi-setup-sim: use resourceType eq '...', name eq "
                     "'...', resourceGroup eq '...' or substringof('...', name), joined by 'and'.");
}

std::vector<std::string> filter_clauses(std::string const& filter) {
  static std::regex const k_and{R"(\s+and\s+)", std::regex::icase};
  std::vector<std::string> clauses;
  if (filter.empty()) {
    return clauses;
  }
  std::sregex_token_iterator it{filter.begin(), filter.end(), k_and, -1};
  for (; it != std::sregex_token_iterator{}; ++it) {
    clauses.push_back(it->str());
  }
  return clauses;
}

int query_number(ArmCall const& call, char const* name, int fallback, int minimum) {
  std::string const text = call.query(name);
  if (text.empty()) {
    return fallback;
  }
  try {
    int const value = std::stoi(text);
    if (value >= minimum) {
      return value;
    }
  } catch (std::exception const&) {
  }
  throw ArmError(400,
                 "InvalidQueryParameterValue",
                 std::string("The value '") + text + "' of the query parameter '" + name +
                     "' is invalid.");
}

} // namespace

ArmReply list_subscriptions(ArmCall& call) {
  auto value = nlohmann::json::array();
  for (auto const& [key, subscription] : call.state.subscriptions) {
    value.push_back(subscription_json(subscription, call.state.tenant_id));
  }
  nlohmann::json count = {{"type", "Total"}, {"value", value.size()}};
  return {200, {{"value", std::move(value)}, {"count", std::move(count)}}, {}};
}

ArmReply list_tenants(ArmCall& call) {
  std::string const& tenant = call.state.tenant_id;
  return {200,
          {{"value",
            {{{"id", "/tenants/" + tenant},
              {"tenantId", tenant},
              {"countryCode", "US"},
              {"displayName", "wi-setup-sim"},
              {"domains", {"contoso.example"}},
              {"tenantCategory", "Home"},
              {"defaultDomain", "contoso.example"},
              {"tenantType", "AAD"}}}},
           {"count", {{"type", "Total"}, {"value", 1}}}},
          {}};
}

ArmReply list_resources(ArmCall& call) {
  std::string prefix = to_lower("/subscriptions/" + call.params.at(0) + "/");
  if (call.params.size() > 1) {
    prefix += to_lower("resourcegroups/" + call.params.at(1) + "/");
  }
  auto const clauses = filter_clauses(call.query("$filter"));
  int const page_size = query_number(call, "$top", 1000, 1);
  int const skip = query_number(call, "$skiptoken", 0, 0);
  auto page = nlohmann::json::array();
  int index = 0;
  bool more = false;
  for (auto const& [key, resource] : call.state.resources) {
    // Top-level resources only (a federated credential is a child of its identity).
    if (key.rfind(prefix, 0) != 0 ||
        key.find("/federatedidentitycredentials/") != std::string::npos) {
      continue;
    }
    bool matches = true;
    for (auto const& clause : clauses) {
      matches = matches && clause_matches(clause, resource);
    }
    if (!matches || index++ < skip) {
      continue;
    }
    if (static_cast<int>(page.size()) == page_size) {
      more = true;
      break;
    }
    nlohmann::json item = {{"id", resource.value("id", key)},
                           {"name", resource.value("name", "")},
                           {"type", resource.value("type", "")},
                           {"location", resource.value("location", "")},
                           {"tags", resource.value("tags", nlohmann::json::object())}};
    if (resource.contains("sku")) {
      item["sku"] = resource["sku"];
    }
    if (resource.contains("identity")) {
      item["identity"] = resource["identity"];
    }
    page.push_back(std::move(item));
  }
  nlohmann::json result = {{"value", std::move(page)}};
  if (more) {
    std::string link =
        call.context.base_url + call.request.path + "?api-version=" + url_encode(call.api_version) +
        "&$skiptoken=" + std::to_string(skip + page_size) + "&$top=" + std::to_string(page_size);
    if (!call.query("$filter").empty()) {
      link += "&$filter=" + url_encode(call.query("$filter"));
    }
    result["nextLink"] = link;
  }
  return {200, std::move(result), {}};
}

ArmReply get_subscription(ArmCall& call) {
  Subscription const* subscription = call.state.subscription(call.params.at(0));
  return {200,
          {{"id", "/subscriptions/" + subscription->id},
           {"subscriptionId", subscription->id},
           {"tenantId", call.state.tenant_id},
           {"displayName", subscription->display_name},
           {"state", "Enabled"},
           {"subscriptionPolicies",
            {{"locationPlacementId", "Public_2014-09-01"},
             {"quotaId", "PayAsYouGo_2014-09-01"},
             {"spendingLimit", "Off"}}},
           {"authorizationSource", "RoleBased"}},
          {}};
}

ArmReply get_resource_group(ArmCall& call) {
  Subscription const* subscription = call.state.subscription(call.params.at(0));
  ResourceGroup const& group = subscription->resource_groups.at(to_lower(call.params.at(1)));
  return {200,
          {{"id", "/subscriptions/" + subscription->id + "/resourceGroups/" + group.name},
           {"name", group.name},
           {"type", "Microsoft.Resources/resourceGroups"},
           {"location", group.location},
           {"tags", group.tags},
           {"properties", {{"provisioningState", "Succeeded"}}}},
          {}};
}

} // namespace wisetup::sim
