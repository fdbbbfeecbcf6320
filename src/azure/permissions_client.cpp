// Microsoft.Authorization/permissions at a scope, api-version 2022-04-01 (reference: "ARM
// effective permissions"), and ARM's wildcard matching of actions.
#include "azure/json_fields.hpp"

#include <wisetup/azure/permissions_client.hpp>

#include <algorithm>
#include <cctype>

namespace wisetup::azure {
namespace {

std::vector<std::string> strings_at(nlohmann::json const& entry, char const* key) {
  std::vector<std::string> values;
  auto const found = entry.find(key);
  if (found == entry.end() || !found->is_array()) {
    return values;
  }
  for (auto const& value : *found) {
    if (value.is_string()) {
      values.push_back(value.get<std::string>());
    }
  }
  return values;
}

bool same_letter(char left, char right) {
  return std::tolower(static_cast<unsigned char>(left)) ==
         std::tolower(static_cast<unsigned char>(right));
}

} // namespace

bool action_matches(std::string_view pattern, std::string_view action) {
  // Greedy matching with one backtrack point, the last '*': linear enough for action names.
  std::size_t p = 0;
  std::size_t a = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (a < action.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = a;
    } else if (p < pattern.size() && same_letter(pattern[p], action[a])) {
      ++p;
      ++a;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      a = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

bool allows(std::vector<Permission> const& permissions, std::string_view action) {
  auto const covers = [action](std::vector<std::string> const& patterns) {
    return std::any_of(patterns.begin(), patterns.end(), [action](auto const& pattern) {
      return action_matches(pattern, action);
    });
  };
  return std::any_of(permissions.begin(), permissions.end(), [&](Permission const& permission) {
    return covers(permission.actions) && !covers(permission.not_actions);
  });
}

std::vector<Permission> PermissionsClient::effective(std::string const& scope) const {
  auto page = m_arm.send(http::Method::Get,
                         scope + "/providers/Microsoft.Authorization/permissions",
                         k_api_version,
                         std::nullopt);
  std::vector<Permission> permissions;
  for (;;) {
    if (auto const* values = detail::find_path(page.body, {"value"});
        values != nullptr && values->is_array()) {
      for (auto const& value : *values) {
        if (value.is_object()) {
          permissions.push_back({strings_at(value, "actions"), strings_at(value, "notActions")});
        }
      }
    }
    auto const next = detail::string_at(page.body, {"nextLink"});
    if (next.empty()) {
      return permissions;
    }
    page = m_arm.get_url(next);
  }
}

} // namespace wisetup::azure
