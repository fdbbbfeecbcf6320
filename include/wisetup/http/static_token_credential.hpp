#pragma once

#include <wisetup/http/token_credential.hpp>

#include <string>

namespace wisetup::http {

/// A fixed bearer token (a kubeconfig user's `token`), valid for any scope.
class StaticTokenCredential final : public TokenCredential {
public:
  StaticTokenCredential(std::string token, std::string description)
      : m_token(std::move(token)), m_description(std::move(description)) {}
  [[nodiscard]] AccessToken get_token(std::string const& /*scope*/) const override {
    return {m_token, std::chrono::system_clock::time_point::max()};
  }
  [[nodiscard]] std::string describe() const override { return m_description; }

private:
  std::string m_token;
  std::string m_description;
};

} // namespace wisetup::http
