#pragma once

#include <wisetup/core/error.hpp>
#include <wisetup/http/token_credential.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wisetup::identity {

/// One kind of credential in a chain, with the name messages use for it ("environment",
/// "workload identity", "managed identity", "Azure CLI").
struct ChainLink {
  std::string name;
  std::shared_ptr<http::TokenCredential const> credential;
};

/// Tries credentials in order, like the Azure SDKs' DefaultAzureCredential, with one difference
/// on purpose: only CredentialUnavailable (a kind that is not configured here) moves on to the
/// next; any other error (a configured credential that was rejected) stops the chain, since
/// falling through would provision as somebody else's identity. The first credential that
/// returns a token is remembered and used alone for every later scope; it is logged once at info
/// ("authenticated with <describe()>"). Thread-safe: while none is chosen, callers wait for one
/// walk of the chain instead of each probing every kind.
class ChainedTokenCredential final : public http::TokenCredential {
public:
  /// Throws core::Error when `links` is empty or holds a null credential (a bug).
  explicit ChainedTokenCredential(std::vector<ChainLink> links);
  /// Throws the first error that is not CredentialUnavailable; when every link is unavailable,
  /// the core::AuthenticationError of none_available() with each link's reason.
  [[nodiscard]] http::AccessToken get_token(std::string const& scope) const override;
  /// The chosen credential's description; before one is chosen, the only link's, or
  /// "the credential chain (environment, workload identity, ...)".
  [[nodiscard]] std::string describe() const override;
  /// Passes on to the chosen credential, if any.
  void invalidate(std::string const& scope) const override;

  /// "no Azure credential found:" and one line "  - <name>: <reason>" per (name, reason).
  [[nodiscard]] static core::AuthenticationError
  none_available(std::vector<std::pair<std::string, std::string>> const& reasons);

private:
  [[nodiscard]] std::shared_ptr<http::TokenCredential const> chosen() const;

  std::vector<ChainLink> m_links;
  mutable std::mutex m_choosing; ///< held while the chain is walked
  mutable std::mutex m_mutex;    ///< guards m_chosen
  mutable std::shared_ptr<http::TokenCredential const> m_chosen;
};

} // namespace wisetup::identity
