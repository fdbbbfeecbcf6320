#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wisetup::integration {

/// A forward proxy on 127.0.0.1 for tests: it tunnels `CONNECT host:port` (only to loopback) and
/// records each tunnel's target and Proxy-Authorization header; any other request (plain http
/// through the proxy) is recorded and refused with 502. Stops and joins in its destructor.
class ConnectProxy {
public:
  ConnectProxy();
  ConnectProxy(ConnectProxy const&) = delete;
  ConnectProxy& operator=(ConnectProxy const&) = delete;
  ~ConnectProxy();

  [[nodiscard]] int port() const { return m_port; }
  /// "CONNECT 127.0.0.1:443" or "GET http://...": the first line of each request, in order.
  [[nodiscard]] std::vector<std::string> requests() const;
  /// The Proxy-Authorization headers received (empty strings for none).
  [[nodiscard]] std::vector<std::string> authorizations() const;

private:
  void accept_loop();
  void serve(int client);

  int m_listener = -1;
  int m_port = 0;
  std::atomic<bool> m_stopping{false};
  mutable std::mutex m_mutex;
  std::vector<std::string> m_requests;
  std::vector<std::string> m_authorizations;
  std::vector<std::thread> m_tunnels;
  std::thread m_acceptor;
};

} // namespace wisetup::integration
