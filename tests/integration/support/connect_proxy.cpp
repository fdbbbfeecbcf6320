#include "integration/support/connect_proxy.hpp"

#include <arpa/inet.h>
#include <array>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace wisetup::integration {
namespace {

void send_all(int socket, std::string const& text) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    auto const n = ::send(socket, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return;
    }
    sent += static_cast<std::size_t>(n);
  }
}

int connect_to(std::string const& host, int port) {
  int const socket = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (socket < 0 || inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1 ||
      ::connect(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (socket >= 0) {
      ::close(socket);
    }
    return -1;
  }
  return socket;
}

/// Copies bytes both ways until either side closes or `stopping` is set.
void splice(int left, int right, std::atomic<bool> const& stopping) {
  std::array<char, 16384> buffer{};
  std::array<pollfd, 2> sockets{pollfd{left, POLLIN, 0}, pollfd{right, POLLIN, 0}};
  while (!stopping.load()) {
    if (::poll(sockets.data(), sockets.size(), 100) < 0) {
      return;
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if ((sockets[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        continue;
      }
      auto const n = ::recv(sockets[i].fd, buffer.data(), buffer.size(), 0);
      if (n <= 0) {
        return;
      }
      send_all(sockets[1 - i].fd, std::string(buffer.data(), static_cast<std::size_t>(n)));
    }
  }
}

} // namespace

ConnectProxy::ConnectProxy() {
  m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (m_listener < 0 ||
      ::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(m_listener, 64) != 0 ||
      ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("the test proxy cannot listen on 127.0.0.1");
  }
  m_port = ntohs(address.sin_port);
  m_acceptor = std::thread{[this] {
    accept_loop();
  }};
}

ConnectProxy::~ConnectProxy() {
  m_stopping = true;
  ::shutdown(m_listener, SHUT_RDWR);
  ::close(m_listener);
  m_acceptor.join();
  for (auto& tunnel : m_tunnels) {
    tunnel.join();
  }
}

std::vector<std::string> ConnectProxy::requests() const {
  std::lock_guard const lock{m_mutex};
  return m_requests;
}

std::vector<std::string> ConnectProxy::authorizations() const {
  std::lock_guard const lock{m_mutex};
  return m_authorizations;
}

void ConnectProxy::accept_loop() {
  while (!m_stopping.load()) {
    pollfd waiting{m_listener, POLLIN, 0};
    if (::poll(&waiting, 1, 100) <= 0) {
      continue;
    }
    int const client = ::accept(m_listener, nullptr, nullptr);
    if (client < 0) {
      continue;
    }
    std::lock_guard const lock{m_mutex};
    m_tunnels.emplace_back([this, client] { serve(client); });
  }
}

void ConnectProxy::serve(int client) {
  std::string head;
  std::array<char, 1024> buffer{};
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
    auto const n = ::recv(client, buffer.data(), buffer.size(), 0);
    if (n <= 0) {
      ::close(client);
      return;
    }
    head.append(buffer.data(), static_cast<std::size_t>(n));
  }
  auto const first_line = head.substr(0, head.find("\r\n"));
  std::string authorization;
  if (auto const at = head.find("\r\nProxy-Authorization: "); at != std::string::npos) {
    auto const start = at + 23;
    authorization = head.substr(start, head.find("\r\n", start) - start);
  }
  {
    std::lock_guard const lock{m_mutex};
    m_requests.push_back(first_line.substr(0, first_line.rfind(' ')));
    m_authorizations.push_back(authorization);
  }
  // "CONNECT 127.0.0.1:PORT HTTP/1.1": only loopback targets, as every test traffic must be.
  if (first_line.rfind("CONNECT 127.0.0.1:", 0) != 0) {
    send_all(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    ::close(client);
    return;
  }
  auto const target = first_line.substr(8, first_line.find(' ', 8) - 8);
  int const upstream = connect_to("127.0.0.1", std::stoi(target.substr(target.find(':') + 1)));
  if (upstream < 0) {
    send_all(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
    ::close(client);
    return;
  }
  send_all(client, "HTTP/1.1 200 Connection Established\r\n\r\n");
  // Bytes the client sent after the head (the TLS hello) go on first.
  auto const body = head.substr(head.find("\r\n\r\n") + 4);
  if (!body.empty()) {
    send_all(upstream, body);
  }
  splice(client, upstream, m_stopping);
  ::close(upstream);
  ::close(client);
}

} // namespace wisetup::integration
