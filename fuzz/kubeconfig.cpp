// kubeconfig YAML (the user's file, or the one ARM's listClusterUserCredential returns):
// kube::parse_kubeconfig.
#include <wisetup/core/error.hpp>
#include <wisetup/kube/kubeconfig.hpp>

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void broken(char const* what) {
  std::fprintf(stderr, "fuzz_kubeconfig: %s\n", what);
  std::abort();
}

bool is_file_key(std::string const& key) {
  return key == "certificate-authority" || key == "client-certificate" || key == "client-key";
}

/// Whether the document names a file (or is too deep to tell). parse_kubeconfig reads such files
/// as kubectl does; a fuzzer must not (/dev/zero, a FIFO), so those inputs are skipped.
bool names_a_file(YAML::Node const& node, int depth) {
  if (depth > 64) {
    return true;
  }
  if (node.IsMap()) {
    for (auto const& member : node) {
      if (member.first.IsScalar() && is_file_key(member.first.Scalar())) {
        return true;
      }
      if (names_a_file(member.first, depth + 1) || names_a_file(member.second, depth + 1)) {
        return true;
      }
    }
  } else if (node.IsSequence()) {
    for (auto const& item : node) {
      if (names_a_file(item, depth + 1)) {
        return true;
      }
    }
  }
  return false;
}

bool starts_with_https(std::string const& url) {
  if (url.size() < 8) {
    return false;
  }
  std::string scheme = url.substr(0, 8);
  for (auto& c : scheme) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return scheme == "https://";
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view const yaml(reinterpret_cast<char const*>(data), size);
  try {
    if (names_a_file(YAML::Load(std::string(yaml)), 0)) {
      return 0;
    }
  } catch (YAML::Exception const&) {
    // Not YAML: parse_kubeconfig must say so without reading anything.
  }
  try {
    auto const config = wisetup::kube::parse_kubeconfig(yaml, "fuzz-kubeconfig");
    if (!starts_with_https(config.server)) {
      broken("accepted a server that is not https://");
    }
    if (config.client_certificate_pem.empty() != config.client_key_pem.empty()) {
      broken("accepted a client certificate without a key, or a key without a certificate");
    }
  } catch (wisetup::core::InvalidInput const&) {
    // The documented refusal.
  }
  return 0;
}
