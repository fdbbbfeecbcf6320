#pragma once

#include <wisetup/http/proxy_settings.hpp>
#include <wisetup/http/tls_options.hpp>
#include <wisetup/http/transport.hpp>

#include <chrono>
#include <memory>

namespace wisetup::http {

/// The longest a GET may go unanswered.
inline constexpr std::chrono::seconds k_read_timeout{20};

/// Sizes cpprestsdk's thread pool. Call once, in main, before any transport is made.
void initialize_cpprest(int threads);

/// The production transport, on cpprestsdk (the only code that includes its headers).
/// `timeout` bounds each write (PUT, POST, PATCH, DELETE); a GET gets at most k_read_timeout, since
/// a read that hangs longer is a black hole, not a slow answer. A request in flight ends within
/// 0.1 s, with core::Stopped, once the run is asked to stop. TLS verification is always on.
/// `proxies` picks a forward proxy per URL (none by default).
[[nodiscard]] std::shared_ptr<Transport>
make_cpprest_transport(TlsOptions tls, std::chrono::seconds timeout, ProxySettings proxies = {});

} // namespace wisetup::http
