#pragma once

#include <wisetup/http/policy.hpp>

#include <string>

namespace wisetup::http {

/// Sets the User-Agent header of every request. Never throws on its own.
class UserAgentPolicy final : public Policy {
public:
  explicit UserAgentPolicy(std::string user_agent);
  [[nodiscard]] Response send(Request& request, NextPolicy const& next) const override;

private:
  std::string m_user_agent;
};

} // namespace wisetup::http
