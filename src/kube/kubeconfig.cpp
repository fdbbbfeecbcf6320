#include <wisetup/core/error.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/base64.hpp>
#include <wisetup/kube/kubeconfig.hpp>

#include <yaml-cpp/yaml.h>

#include <optional>

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

  /// PEM from `data_key` (base64); empty when it is not set. A kubeconfig that names a file in
  /// `file_key` instead is refused: it comes from a server, and wi-setup never reads local files
  /// named by a server's kubeconfig.
  std::string pem(YAML::Node const& node,
                  std::string const& data_key,
                  std::string const& file_key,
                  std::string const& prefix) const {
    refuse_file(node, file_key, prefix, data_key);
    auto const field = prefix + "." + data_key;
    auto const data = scalar(node, data_key, field);
    if (data.empty()) {
      return {};
    }
    auto decoded = http::base64_decode(data);
    if (!decoded || decoded->empty()) {
      fail("has a field " + field + " that is not valid base64");
    }
    auto text = std::move(*decoded);
    if (text.find("-----BEGIN ") == std::string::npos ||
        text.find("-----END ") == std::string::npos) {
      fail("has a field " + field + " that does not hold PEM data");
    }
    return text;
  }

  /// The member `key` of the mapping `section` of `node`, empty when there is no such mapping.
  /// When the mapping is there, `key` must be set and be `accepted`; anything else fails, the
  /// message ending with `why`.
  std::string only(YAML::Node const& node,
                   std::string const& section,
                   std::string const& key,
                   std::string_view accepted,
                   std::string const& prefix,
                   std::string_view why) const {
    auto const mapping = child(node, section);
    if (!mapping) {
      return {};
    }
    auto const field = prefix + "." + section + "." + key;
    auto value = required(*mapping, key, field);
    if (value != accepted) {
      fail("has " + field + " \"" + printable(value) + "\"; " + std::string(why));
    }
    return value;
  }

  /// Refuses the field `file_key` (a local path) when it is set at all; `inline_key` names what
  /// wi-setup accepts instead. The path itself is never quoted, opened or resolved.
  void refuse_file(YAML::Node const& node,
                   std::string const& file_key,
                   std::string const& prefix,
                   std::string const& inline_key) const {
    if (child(node, file_key)) {
      fail("has a field " + prefix + "." + file_key +
           ", which names a local file; wi-setup never reads local files named by a server's "
           "kubeconfig (it accepts only the inline " +
           inline_key + ")");
    }
  }

  /// Refuses `key: true` (any YAML spelling of true); false or absent is fine.
  void refuse_true(YAML::Node const& node,
                   std::string const& key,
                   std::string const& field,
                   std::string const& why) const {
    auto const value = child(node, key);
    if (!value) {
      return;
    }
    bool on = false;
    if (!value->IsScalar() || !YAML::convert<bool>::decode(*value, on)) {
      fail("has a field " + field + " that is not true or false");
    }
    if (on) {
      fail("has " + field + ": true; " + why);
    }
  }

private:
  std::string m_source;
};

} // namespace

std::string printable(std::string_view text) {
  constexpr std::size_t k_longest = 64;
  std::string out;
  for (auto const c : text.substr(0, k_longest)) {
    auto const byte = static_cast<unsigned char>(c);
    out += byte >= 0x20 && byte < 0x7f ? c : '?';
  }
  if (text.size() > k_longest) {
    out += "...";
  }
  return out;
}

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
    if (!core::is_https_url(config.server)) {
      reader.fail("has a field " + cluster_field +
                  ".server that is not an https:// URL; wi-setup only talks to API servers over "
                  "verified TLS");
    }
    reader.refuse_true(cluster,
                       "insecure-skip-tls-verify",
                       cluster_field + ".insecure-skip-tls-verify",
                       "wi-setup never switches off the verification of the API server's TLS "
                       "certificate");
    config.certificate_authority_pem =
        reader.pem(cluster, "certificate-authority-data", "certificate-authority", cluster_field);
    config.proxy_url = reader.scalar(cluster, "proxy-url", cluster_field + ".proxy-url");

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
    reader.refuse_file(user, "tokenFile", user_field, "token");
    config.token = reader.scalar(user, "token", user_field + ".token");
    config.exec_command =
        reader.only(user,
                    "exec",
                    "command",
                    k_kubelogin_command,
                    user_field,
                    "wi-setup never runs a command named by a server's kubeconfig, and accepts "
                    "only kubelogin, for which it signs in to Entra ID itself");
    config.auth_provider = reader.only(
        user,
        "auth-provider",
        "name",
        k_azure_auth_provider,
        user_field,
        "wi-setup accepts only the azure auth-provider, for which it signs in to Entra ID itself");
  } catch (YAML::Exception const& error) {
    reader.fail("could not be read (line " + std::to_string(error.mark.line + 1) + ")");
  }
  return config;
}

} // namespace wisetup::kube
