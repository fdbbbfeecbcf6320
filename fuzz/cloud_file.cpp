// Cloud files (`--cloud <file>`, JSON in the shape `az cloud show -o json` prints):
// core::parse_cloud_file, then what the rest of the program derives from a Cloud.
#include <wisetup/core/cloud.hpp>
#include <wisetup/core/error.hpp>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void broken(char const* what) {
  std::fprintf(stderr, "fuzz_cloud_file: %s\n", what);
  std::abort();
}

/// The scheme in any case, as URLs have it (RFC 3986), and something after it.
bool is_https(std::string const& url) {
  constexpr std::string_view k_scheme = "https://";
  if (url.size() <= k_scheme.size()) {
    return false;
  }
  for (std::size_t i = 0; i < k_scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(url[i])) != k_scheme[i]) {
      return false;
    }
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view const text(reinterpret_cast<char const*>(data), size);
  try {
    auto const cloud = wisetup::core::parse_cloud_file("fuzz-cloud.json", text);
    if (!is_https(cloud.resource_manager) || !is_https(cloud.active_directory) ||
        !is_https(cloud.active_directory_resource_id) ||
        !is_https(cloud.microsoft_graph_resource_id)) {
      broken("accepted an endpoint that is not https://");
    }
    if (cloud.resource_manager.back() == '/' || cloud.active_directory.back() == '/') {
      broken("kept a trailing slash on resourceManager or activeDirectory");
    }
    auto const scope = cloud.arm_scope();
    if (!scope.ends_with("/.default")) {
      broken("arm_scope() does not end with /.default");
    }
    try {
      auto const audience = wisetup::core::key_vault_audience(cloud);
      if (!is_https(audience)) {
        broken("key_vault_audience() is not https://");
      }
    } catch (wisetup::core::InvalidInput const&) {
      // No suffixes.keyvaultDns: documented.
    }
  } catch (wisetup::core::InvalidInput const&) {
    // The documented refusal.
  }
  return 0;
}
