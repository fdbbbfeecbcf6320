#pragma once

#include <string>
#include <string_view>

namespace wisetup::kube {

/// The one exec plugin a kubeconfig may name. wi-setup never runs it (nor any other command): for
/// a kubelogin user it signs in to Entra ID itself, with its own credential.
inline constexpr std::string_view k_kubelogin_command = "kubelogin";
/// The one (legacy) auth-provider a kubeconfig may name, on the same terms as kubelogin.
inline constexpr std::string_view k_azure_auth_provider = "azure";

/// What a kubeconfig's current context says about reaching its API server.
struct Kubeconfig {
  std::string server; ///< clusters[].cluster.server (https://)
  /// clusters[].cluster.proxy-url (may be empty): a forward proxy for this API server; it may
  /// carry a password, so it is never shown.
  std::string proxy_url;
  std::string certificate_authority_pem; ///< decoded certificate-authority-data
  std::string client_certificate_pem;    ///< decoded client-certificate-data (may be empty)
  std::string client_key_pem;            ///< decoded client-key-data (may be empty); secret
  std::string token;                     ///< users[].user.token (may be empty); secret
  /// users[].user.exec.command: empty or k_kubelogin_command. Only a name, never run; its args
  /// and env are not even kept.
  std::string exec_command;
  /// users[].user.auth-provider.name: empty or k_azure_auth_provider.
  std::string auth_provider;
};

/// Parses kubeconfig YAML (current-context). `source` names it in errors. The kubeconfig is
/// untrusted input (a server's answer to listClusterUserCredential), so only inline material is
/// accepted: certificate-authority-data, client-certificate-data, client-key-data (base64 PEM) and
/// token. Throws core::InvalidInput naming the field and `source` for
/// - a field naming a local file (certificate-authority, client-certificate, client-key,
///   tokenFile): wi-setup never reads local files named by a server's kubeconfig;
/// - an exec command other than kubelogin, or an auth-provider other than azure (named in the
///   message); nothing a kubeconfig names is ever run;
/// - insecure-skip-tls-verify: true (TLS verification is never switched off), or a server that
///   is not https://;
/// - a missing or malformed field.
/// Never puts key or token material in a message.
[[nodiscard]] Kubeconfig parse_kubeconfig(std::string_view yaml, std::string_view source);

/// `text` (a name from an untrusted document) fit to quote in a message: control and non-ASCII
/// bytes become '?', and it is cut at 64 characters.
[[nodiscard]] std::string printable(std::string_view text);

} // namespace wisetup::kube
