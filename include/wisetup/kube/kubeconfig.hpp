#pragma once

#include <string>
#include <string_view>

namespace wisetup::kube {

/// What a kubeconfig's current context says about reaching its API server.
struct Kubeconfig {
  std::string server;                    ///< clusters[].cluster.server
  std::string certificate_authority_pem; ///< decoded certificate-authority-data
  std::string client_certificate_pem;    ///< decoded client-certificate-data (may be empty)
  std::string client_key_pem;            ///< decoded client-key-data (may be empty); secret
  std::string token;                     ///< users[].user.token (may be empty); secret
  std::string exec_command;              ///< users[].user.exec.command (kubelogin), may be empty
  std::string auth_provider; ///< users[].user.auth-provider.name (legacy "azure"), may be empty
};

/// Parses kubeconfig YAML (current-context). `source` names it in errors. CA, client certificate
/// and key come from the *-data fields (base64) or from the file fields (certificate-authority,
/// client-certificate, client-key; relative paths resolve against the directory of `source` when
/// that is a file). Exec and auth-provider users are parsed, not refused: the caller decides.
/// Throws core::InvalidInput naming the missing or malformed field and `source` (also for a
/// server that is not https://); never puts key or token material in a message.
[[nodiscard]] Kubeconfig parse_kubeconfig(std::string_view yaml, std::string_view source);

} // namespace wisetup::kube
