#pragma once

#include <wisetup/http/transport.hpp>

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace wisetup::testing {

/// A scripted transport: answers requests in order from a queue of responses (or exceptions) and
/// records every request. A request beyond the script fails the test.
class FakeTransport final : public http::Transport {
public:
  using Answer = std::function<http::Response(http::Request const&)>;

  /// Queues a response.
  void respond(int status, std::string body = {}, http::Headers headers = {});
  /// Queues a JSON response (Content-Type: application/json).
  void respond_json(int status, std::string const& json, http::Headers headers = {});
  /// Queues an arbitrary answer (may throw, e.g. http::TransportError).
  void answer(Answer answer);

  [[nodiscard]] http::Response send(http::Request const& request) override;

  [[nodiscard]] std::vector<http::Request> requests() const;
  [[nodiscard]] std::size_t pending() const;

private:
  mutable std::mutex m_mutex;
  std::deque<Answer> m_script;
  std::vector<http::Request> m_requests;
};

} // namespace wisetup::testing
