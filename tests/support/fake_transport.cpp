#include "support/fake_transport.hpp"

#include <gtest/gtest.h>

namespace wisetup::testing {

void FakeTransport::respond(int status, std::string body, http::Headers headers) {
  answer([status, body = std::move(body), headers = std::move(headers)](http::Request const&) {
    return http::Response{status, headers, body};
  });
}

void FakeTransport::respond_json(int status, std::string const& json, http::Headers headers) {
  headers.set("Content-Type", "application/json");
  respond(status, json, std::move(headers));
}

void FakeTransport::answer(Answer answer) {
  std::lock_guard const lock{m_mutex};
  m_script.push_back(std::move(answer));
}

http::Response FakeTransport::send(http::Request const& request) {
  Answer next;
  {
    std::lock_guard const lock{m_mutex};
    m_requests.push_back(request);
    if (m_script.empty()) {
      ADD_FAILURE() << "unexpected request: " << http::to_string(request.method) << " "
                    << request.url;
      throw http::TransportError("FakeTransport: no scripted response left");
    }
    next = std::move(m_script.front());
    m_script.pop_front();
  }
  return next(request);
}

std::vector<http::Request> FakeTransport::requests() const {
  std::lock_guard const lock{m_mutex};
  return m_requests;
}

std::size_t FakeTransport::pending() const {
  std::lock_guard const lock{m_mutex};
  return m_script.size();
}

} // namespace wisetup::testing
