#pragma once

#include <wisetup/http/policy.hpp>

#include <string>

namespace wisetup::http {

/// Stamps every request with a fresh x-ms-client-request-id (a random GUID; retries of one request
/// keep it) and, when a correlation id is given, with x-ms-correlation-request-id so that all
/// requests of one run can be found together in Azure's logs. Never throws on its own.
class RequestIdPolicy final : public Policy {
public:
  explicit RequestIdPolicy(std::string correlation_id = {});
  [[nodiscard]] Response send(Request& request, NextPolicy const& next) const override;

private:
  std::string m_correlation_id;
};

} // namespace wisetup::http
