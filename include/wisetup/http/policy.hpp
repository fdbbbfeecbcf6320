#pragma once

#include <wisetup/http/request.hpp>
#include <wisetup/http/response.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace wisetup::http {

class Policy;
class Transport;

/// The rest of the pipeline after the current policy.
class NextPolicy {
public:
  NextPolicy(std::vector<std::unique_ptr<Policy>> const& policies,
             std::size_t index,
             Transport& transport)
      : m_policies(policies), m_index(index), m_transport(transport) {}
  [[nodiscard]] Response send(Request& request) const;

private:
  std::vector<std::unique_ptr<Policy>> const& m_policies;
  std::size_t m_index;
  Transport& m_transport;
};

/// One stage of the pipeline (request id, retry, bearer token, logging ...).
class Policy {
public:
  virtual ~Policy() = default;
  [[nodiscard]] virtual Response send(Request& request, NextPolicy const& next) const = 0;
};

} // namespace wisetup::http
