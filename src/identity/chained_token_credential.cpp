#include <wisetup/core/text.hpp>
#include <wisetup/identity/chained_token_credential.hpp>
#include <wisetup/identity/credential_unavailable.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace wisetup::identity {
namespace {

/// The reason without a leading "<name>: ", which a credential may already start its message
/// with; the summary line names the kind itself.
std::string without_name(std::string const& name, std::string reason) {
  auto const same = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  if (reason.size() > name.size() + 1 &&
      std::equal(name.begin(), name.end(), reason.begin(), same) &&
      reason.compare(name.size(), 2, ": ") == 0) {
    reason.erase(0, name.size() + 2);
  }
  return reason;
}

} // namespace

ChainedTokenCredential::ChainedTokenCredential(std::vector<ChainLink> links)
    : m_links(std::move(links)) {
  if (m_links.empty()) {
    throw core::Error("a credential chain needs at least one credential");
  }
  for (auto const& link : m_links) {
    if (!link.credential) {
      throw core::Error("the credential chain's link \"" + link.name + "\" has no credential");
    }
  }
}

std::shared_ptr<http::TokenCredential const> ChainedTokenCredential::chosen() const {
  std::lock_guard const lock{m_mutex};
  return m_chosen;
}

http::AccessToken ChainedTokenCredential::get_token(std::string const& scope) const {
  if (auto const credential = chosen()) {
    return credential->get_token(scope);
  }
  std::unique_lock const walking{m_choosing};
  // Another caller may have chosen while this one waited.
  if (auto const credential = chosen()) {
    return credential->get_token(scope);
  }
  std::vector<std::pair<std::string, std::string>> reasons;
  for (auto const& link : m_links) {
    http::AccessToken token;
    try {
      token = link.credential->get_token(scope);
    } catch (CredentialUnavailable const& unavailable) {
      spdlog::debug("credential chain: {} is not available: {}", link.name, unavailable.what());
      reasons.emplace_back(link.name, unavailable.what());
      continue;
    }
    spdlog::info("authenticated with {}", link.credential->describe());
    std::lock_guard const lock{m_mutex};
    m_chosen = link.credential;
    return token;
  }
  throw none_available(reasons);
}

std::string ChainedTokenCredential::describe() const {
  if (auto const credential = chosen()) {
    return credential->describe();
  }
  if (m_links.size() == 1) {
    return m_links.front().credential->describe();
  }
  // A plain loop, not a views::transform pipe: the fuzz build's clang 14 cannot compile
  // libstdc++ 12's views.
  std::vector<std::string_view> names;
  for (auto const& link : m_links) {
    names.push_back(link.name);
  }
  return "the credential chain (" + core::join(names, ", ") + ")";
}

void ChainedTokenCredential::invalidate(std::string const& scope) const {
  if (auto const credential = chosen()) {
    credential->invalidate(scope);
  }
}

core::AuthenticationError ChainedTokenCredential::none_available(
    std::vector<std::pair<std::string, std::string>> const& reasons) {
  std::string message = "no Azure credential found:";
  for (auto const& [name, reason] : reasons) {
    message += "\n  - " + name + ": " + without_name(name, reason);
  }
  return core::AuthenticationError(message);
}

} // namespace wisetup::identity
