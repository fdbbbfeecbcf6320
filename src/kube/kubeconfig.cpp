#include <wisetup/core/error.hpp>
#include <wisetup/kube/kubeconfig.hpp>

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace wisetup::kube {
namespace {

/// Reads one kubeconfig; every message names the field and the source, never a value that could
/// be a credential.
class Reader {
public:
  explicit Reader(std::string_view source) : m_source(source) {}

  [[noreturn]] void fail(std::string const& problem) const {
    throw core::InvalidInput("The kubeconfig " + m_source + " " + problem + ".");
  }

  /// The member `key` of a mapping, nullopt when absent or null.
  std::optional<YAML::Node> child(YAML::Node const& node, std::string const& key) const {
    if (!node.IsMap()) {
      return std::nullopt;
    }
    auto value = node[key];
    if (!value.IsDefined() || value.IsNull()) {
      return std::nullopt;
    }
    return value;
  }

  /// A string member, empty when absent.
  std::string
  scalar(YAML::Node const& node, std::string const& key, std::string const& field) const {
    auto const value = child(node, key);
    if (!value) {
      return {};
    }
    if (!value->IsScalar()) {
      fail("has a field " + field + " that is not a string");
    }
    return value->Scalar();
  }

  std::string
  required(YAML::Node const& node, std::string const& key, std::string const& field) const {
    auto value = scalar(node, key, field);
    if (value.empty()) {
      fail("has no " + field);
    }
    return value;
  }

  /// The `inner` mapping of the entry of list `list` whose name is `name`.
  YAML::Node entry(YAML::Node const& root,
                   std::string const& list,
                   std::string const& name,
                   std::string const& inner) const {
    auto const field = list + "[name=" + name + "]";
    auto const entries = child(root, list);
    if (entries && !entries->IsSequence()) {
      fail("has a field " + list + " that is not a list");
    }
    if (entries) {
      for (auto const& candidate : *entries) {
        if (candidate.IsMap() && candidate["name"].IsScalar() &&
            candidate["name"].Scalar() == name) {
          auto const value = child(candidate, inner);
          if (!value || !value->IsMap()) {
            fail("has no " + field + "." + inner);
          }
          return *value;
        }
      }
    }
    fail("has no entry " + field);
  }

  /// PEM from `data_key` (base64) or the file named by `file_key`; empty when neither is set.
  std::string pem(YAML::Node const& node,
                  std::string const& data_key,
                  std::string const& file_key,
                  std::string const& prefix) const {
    auto const data_field = prefix + "." + data_key;
    auto const data = scalar(node, data_key, data_field);
    std::string text;
    std::string field;
    if (!data.empty()) {
      field = data_field;
      auto const bytes = YAML::DecodeBase64(data);
      if (bytes.empty()) {
        fail("has a field " + field + " that is not valid base64");
      }
      text.assign(bytes.begin(), bytes.end());
    } else {
      field = prefix + "." + file_key;
      auto const path = scalar(node, file_key, field);
      if (path.empty()) {
        return {};
      }
      text = read_file(path, field);
    }
    if (text.find("-----BEGIN ") == std::string::npos ||
        text.find("-----END ") == std::string::npos) {
      fail("has a field " + field + " that does not hold PEM data");
    }
    return text;
  }

private:
  std::string read_file(std::string const& name, std::string const& field) const {
    std::filesystem::path path{name};
    // kubectl resolves relative paths against the kubeconfig's own directory.
    std::error_code error;
    if (path.is_relative() && std::filesystem::is_regular_file(m_source, error)) {
      path = std::filesystem::path(m_source).parent_path() / path;
    }
    std::ifstream file{path, std::ios::binary};
    if (!file) {
      fail("names in " + field + " the file " + path.string() + ", which cannot be read");
    }
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
  }

  std::string m_source;
};

bool is_https(std::string const& url) {
  if (url.size() < 8) {
    return false;
  }
  auto scheme = url.substr(0, 8);
  for (auto& c : scheme) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return scheme == "https://";
}

} // namespace

Kubeconfig parse_kubeconfig(std::string_view yaml, std::string_view source) {
  Reader const reader{source};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (YAML::Exception const& error) {
    // Only the position: the parser's message may quote the offending (secret) text.
    reader.fail("is not valid YAML (line " + std::to_string(error.mark.line + 1) + ")");
  }
  if (!root.IsMap()) {
    reader.fail("is not a kubeconfig (expected a YAML mapping with clusters, contexts and users)");
  }

  Kubeconfig config;
  try {
    auto const context_name = reader.scalar(root, "current-context", "current-context");
    if (context_name.empty()) {
      reader.fail("has no current-context; choose one with `kubectl config use-context`");
    }
    auto const context = reader.entry(root, "contexts", context_name, "context");
    auto const context_field = "contexts[name=" + context_name + "].context";
    auto const cluster_name = reader.required(context, "cluster", context_field + ".cluster");
    auto const user_name = reader.required(context, "user", context_field + ".user");

    auto const cluster = reader.entry(root, "clusters", cluster_name, "cluster");
    auto const cluster_field = "clusters[name=" + cluster_name + "].cluster";
    config.server = reader.required(cluster, "server", cluster_field + ".server");
    if (!is_https(config.server)) {
      reader.fail("has a field " + cluster_field +
                  ".server that is not an https:// URL; wi-setup only talks to API servers over "
                  "verified TLS");
    }
    config.certificate_authority_pem =
        reader.pem(cluster, "certificate-authority-data", "certificate-authority", cluster_field);

    auto const user = reader.entry(root, "users", user_name, "user");
    auto const user_field = "users[name=" + user_name + "].user";
    config.client_certificate_pem =
        reader.pem(user, "client-certificate-data", "client-certificate", user_field);
    config.client_key_pem = reader.pem(user, "client-key-data", "client-key", user_field);
    if (config.client_certificate_pem.empty() != config.client_key_pem.empty()) {
      reader.fail("has " + user_field +
                  (config.client_key_pem.empty() ? " with a client certificate but no client key"
                                                 : " with a client key but no client certificate"));
    }
    config.token = reader.scalar(user, "token", user_field + ".token");
    if (auto const exec = reader.child(user, "exec")) {
      config.exec_command = reader.required(*exec, "command", user_field + ".exec.command");
    }
    if (auto const provider = reader.child(user, "auth-provider")) {
      config.auth_provider = reader.required(*provider, "name", user_field + ".auth-provider.name");
    }
  } catch (YAML::Exception const& error) {
    reader.fail("could not be read (line " + std::to_string(error.mark.line + 1) + ")");
  }
  return config;
}

} // namespace wisetup::kube
