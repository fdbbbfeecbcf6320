#pragma once

#include <wisetup/http/tls_options.hpp>
#include <wisetup/http/transport.hpp>

#include <chrono>
#include <memory>

namespace wisetup::http {

/// Sizes cpprestsdk's thread pool. Call once, in main, before any transport is made.
void initialize_cpprest(int threads);

/// The production transport, on cpprestsdk (the only code that includes its headers).
/// `timeout` bounds each request; TLS verification is always on.
[[nodiscard]] std::shared_ptr<Transport> make_cpprest_transport(TlsOptions tls,
                                                                std::chrono::seconds timeout);

} // namespace wisetup::http
