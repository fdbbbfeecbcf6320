#pragma once

#include <wisetup/http/access_token.hpp>

#include <string>
#include <string_view>

namespace wisetup::http {

/// Something that can obtain access tokens. Implementations are thread-safe.
/// In http, as in azure-core, so that the bearer policy and kube's connections can take a
/// credential without including a layer above them; identity implements it.
class TokenCredential {
public:
  virtual ~TokenCredential() = default;
  /// A token for one scope (e.g. "https://management.azure.com/.default").
  /// Throws core::AuthenticationError when the credential is rejected or unusable.
  [[nodiscard]] virtual AccessToken get_token(std::string const& scope) const = 0;
  /// For messages: "client secret (AZURE_CLIENT_ID=...)".
  [[nodiscard]] virtual std::string describe() const = 0;
  /// Forgets any cached token for `scope`, so that the next get_token fetches a fresh one (the
  /// bearer policy calls it after a 401). Credentials without a cache need not override it.
  virtual void invalidate(std::string const& /*scope*/) const {}
};

} // namespace wisetup::http
