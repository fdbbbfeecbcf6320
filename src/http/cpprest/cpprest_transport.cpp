// The production Transport, and the only file that includes cpprestsdk. It blocks on the
// caller's thread (never inside a continuation), keeps one http_client per origin so connections
// are reused, and turns every cpprestsdk, Boost and OpenSSL failure into a TransportError.
#include "trust_store.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/core/stop_request.hpp>
#include <wisetup/core/text.hpp>
#include <wisetup/http/cpprest_transport.hpp>
#include <wisetup/http/url.hpp>

#include <cpprest/http_client.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <pplx/threadpool.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace wisetup::http {
namespace {

struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr memory_bio(std::string const& pem) {
  BioPtr bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  if (!bio) {
    throw core::Error("OpenSSL could not allocate a memory buffer");
  }
  return bio;
}

/// Every certificate of a PEM bundle, in order. Throws InvalidInput naming `what`.
std::vector<X509Ptr> read_certificates(std::string const& pem, std::string const& what) {
  auto bio = memory_bio(pem);
  std::vector<X509Ptr> certificates;
  STACK_OF(X509_INFO)* infos = PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr);
  if (infos != nullptr) {
    for (int i = 0; i < sk_X509_INFO_num(infos); ++i) {
      X509_INFO* info = sk_X509_INFO_value(infos, i);
      if (info->x509 != nullptr && X509_up_ref(info->x509) == 1) {
        certificates.emplace_back(info->x509);
      }
    }
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
  }
  ERR_clear_error();
  if (certificates.empty()) {
    throw core::InvalidInput(what + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); "
                                    "pass the CA or certificate in PEM form");
  }
  return certificates;
}

EvpPkeyPtr read_private_key(std::string const& pem) {
  auto bio = memory_bio(pem);
  // A callback that supplies no passphrase: OpenSSL's default would prompt on the terminal.
  EvpPkeyPtr key{PEM_read_bio_PrivateKey(
      bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr)};
  ERR_clear_error();
  if (!key) {
    throw core::InvalidInput("the client key is not an unencrypted PEM private key; pass the key "
                             "in PEM form (kubeconfig client-key-data)");
  }
  return key;
}

/// What the last failed certificate verification of one origin found, so that the error of the
/// request that hit it can say why. Written on cpprestsdk's threads, read on the caller's.
class VerifyRecord {
public:
  explicit VerifyRecord(std::string host) : m_host(std::move(host)) {}
  /// The host as the certificate must name it (IPv6 without brackets).
  [[nodiscard]] std::string const& host() const { return m_host; }
  void set(std::string reason) {
    std::lock_guard const lock{m_mutex};
    m_failure = std::move(reason);
  }
  [[nodiscard]] std::optional<std::string> take() {
    std::lock_guard const lock{m_mutex};
    auto failure = std::move(m_failure);
    m_failure.reset();
    return failure;
  }

private:
  std::string m_host;
  std::mutex m_mutex;
  std::optional<std::string> m_failure;
};

bool names_host(X509* certificate, std::string const& host) {
  if (certificate == nullptr) {
    return false;
  }
  if (X509_check_ip_asc(certificate, host.c_str(), 0) == 1) {
    return true;
  }
  return X509_check_host(certificate, host.data(), host.size(), 0, nullptr) == 1;
}

/// Replaces OpenSSL's chain check for a context: runs it (cpprestsdk's host-name check runs
/// inside it) and records why it failed.
int verify_and_record(X509_STORE_CTX* store_context, void* argument) {
  int const verified = X509_verify_cert(store_context);
  if (verified <= 0) {
    auto& record = *static_cast<VerifyRecord*>(argument);
    int const error = X509_STORE_CTX_get_error(store_context);
    // The chain check sets a specific error; a rejection by the host-name check sets none.
    bool const chain_failed = error != X509_V_OK && error != X509_V_ERR_UNSPECIFIED;
    if (!chain_failed && !names_host(X509_STORE_CTX_get0_cert(store_context), record.host())) {
      record.set("its certificate does not name this host " + record.host());
    } else {
      record.set(std::string("its certificate is not trusted (") +
                 X509_verify_cert_error_string(error) + ")");
    }
  }
  return verified;
}

/// The parsed TlsOptions, shared by every connection's SSL context.
class TlsMaterial {
public:
  explicit TlsMaterial(TlsOptions const& options) {
    if (!options.extra_ca_pem.empty()) {
      auto const extra_cas = read_certificates(options.extra_ca_pem, "the CA bundle");
      std::vector<X509*> certificates;
      for (auto const& certificate : extra_cas) {
        certificates.push_back(certificate.get());
      }
      m_trust = trust_store_with(certificates, options.only_extra_ca);
    }
    if (options.client_certificate_pem.empty() != options.client_key_pem.empty()) {
      throw core::InvalidInput("a client certificate needs both the certificate and its key "
                               "(kubeconfig client-certificate-data and client-key-data)");
    }
    if (!options.client_certificate_pem.empty()) {
      m_client_chain = read_certificates(options.client_certificate_pem, "the client certificate");
      m_client_key = read_private_key(options.client_key_pem);
      if (X509_check_private_key(m_client_chain.front().get(), m_client_key.get()) != 1) {
        ERR_clear_error();
        throw core::InvalidInput("the client key does not belong to the client certificate; "
                                 "check the kubeconfig's client-certificate-data and "
                                 "client-key-data");
      }
    }
  }

  void apply(SSL_CTX* context, VerifyRecord* record) const {
    if (m_trust) {
      // Built once per transport; without extra CAs the context keeps the system's shared store.
      SSL_CTX_set1_cert_store(context, m_trust.get());
    }
    if (!m_client_chain.empty()) {
      SSL_CTX_use_certificate(context, m_client_chain.front().get());
      for (std::size_t i = 1; i < m_client_chain.size(); ++i) {
        SSL_CTX_add1_chain_cert(context, m_client_chain[i].get());
      }
      SSL_CTX_use_PrivateKey(context, m_client_key.get());
    }
    SSL_CTX_set_cert_verify_callback(context, verify_and_record, record);
    ERR_clear_error();
  }

private:
  X509StorePtr m_trust;
  std::vector<X509Ptr> m_client_chain;
  EvpPkeyPtr m_client_key;
};

web::http::method to_cpprest(Method method) {
  switch (method) {
  case Method::Get:
    return web::http::methods::GET;
  case Method::Put:
    return web::http::methods::PUT;
  case Method::Post:
    return web::http::methods::POST;
  case Method::Patch:
    return web::http::methods::PATCH;
  case Method::Delete:
    return web::http::methods::DEL;
  }
  return web::http::methods::GET;
}

/// No answer before the request's own deadline.
struct RequestTimedOut {
  std::chrono::seconds timeout;
};

/// Waits for a cpprestsdk task without blocking past `deadline` or a stop request: either ends
/// the request (cancelled) and throws, RequestTimedOut or core::Stopped.
template <class T>
T wait_for(pplx::task<T> task,
           std::chrono::steady_clock::time_point deadline,
           std::chrono::seconds timeout,
           pplx::cancellation_token_source& cancel) {
  struct Waiter {
    std::mutex mutex;
    std::condition_variable done_changed;
    bool done = false;
  };
  auto waiter = std::make_shared<Waiter>();
  (void)task.then([waiter](pplx::task<T> const& ended) {
    // Observe its end here: pplx raises SIGTRAP for a task whose exception nobody observed,
    // which is what a cancelled request that we stopped waiting for would be.
    try {
      ended.wait();
    } catch (...) { // NOLINT(bugprone-empty-catch): the waiter reads the outcome with get()
    }
    {
      std::lock_guard const lock{waiter->mutex};
      waiter->done = true;
    }
    waiter->done_changed.notify_all();
  });
  std::unique_lock lock{waiter->mutex};
  constexpr std::chrono::milliseconds k_stop_check{100};
  while (!waiter->done) {
    if (core::stop_request::reason()) {
      cancel.cancel();
      core::stop_request::throw_if_requested();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      cancel.cancel();
      throw RequestTimedOut{timeout};
    }
    auto const until = std::min(deadline, std::chrono::steady_clock::now() + k_stop_check);
    waiter->done_changed.wait_until(lock, until, [&] { return waiter->done; });
  }
  lock.unlock();
  return task.get();
}

/// One origin's client and the record of its certificate checks.
struct Connection {
  std::shared_ptr<web::http::client::http_client> client;
  std::shared_ptr<VerifyRecord> record;
};

class CpprestTransport final : public Transport {
public:
  CpprestTransport(TlsOptions const& tls, std::chrono::seconds timeout, ProxySettings proxies)
      : m_tls(std::make_shared<TlsMaterial const>(tls)), m_timeout(timeout),
        m_proxies(std::move(proxies)) {}

  Response send(Request const& request) override {
    auto const url = parse_url(request.url);
    auto const connection = connection_for(url);
    auto const timeout =
        request.method == Method::Get ? std::min(m_timeout, k_read_timeout) : m_timeout;
    try {
      core::stop_request::throw_if_requested();
      return exchange(*connection.client, request, url, timeout);
    } catch (core::Stopped const&) {
      forget(url, connection.client);
      throw;
    } catch (...) {
      // A client can stay broken after a failure (stale pooled connections); the next request
      // to this origin starts over with a new one.
      forget(url, connection.client);
      throw TransportError("cannot reach " + url.origin() + ": " +
                           describe_failure(url, *connection.record, timeout));
    }
  }

private:
  static std::string key_of(Url const& url) {
    std::string host = url.host;
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) {
      return static_cast<char>(std::tolower(c));
    });
    return url.scheme + "://" + host + ":" + std::to_string(url.effective_port());
  }

  Connection connection_for(Url const& url) {
    auto const key = key_of(url);
    std::lock_guard const lock{m_mutex};
    auto found = m_connections.find(key);
    if (found != m_connections.end()) {
      return found->second;
    }
    std::string host = url.host;
    if (host.size() > 2 && host.front() == '[') {
      host = host.substr(1, host.size() - 2);
    }
    auto record = std::make_shared<VerifyRecord>(std::move(host));
    web::http::client::http_client_config config;
    config.set_timeout(m_timeout);
    config.set_validate_certificates(true);
    config.set_max_redirects(0);
    if (auto const proxy = m_proxies.proxy_for(url)) {
      // https goes through a CONNECT tunnel: the proxy sees neither the request nor the token,
      // and the server's certificate is still verified end to end.
      web::web_proxy through{web::uri(proxy->display())};
      if (!proxy->user.empty()) {
        through.set_credentials(web::credentials(proxy->user, proxy->password));
      }
      config.set_proxy(through);
      spdlog::debug("reaching {} through the proxy {}", url.origin(), proxy->display());
    }
    // The callback owns what it points at: connections may outlive this map entry.
    config.set_ssl_context_callback([tls = m_tls, record](boost::asio::ssl::context& context) {
      tls->apply(context.native_handle(), record.get());
    });
    Connection connection{std::make_shared<web::http::client::http_client>(web::uri(key), config),
                          record};
    m_connections.emplace(key, connection);
    return connection;
  }

  void forget(Url const& url,
              std::shared_ptr<web::http::client::http_client> const& client) noexcept {
    try {
      std::lock_guard const lock{m_mutex};
      auto found = m_connections.find(key_of(url));
      if (found != m_connections.end() && found->second.client == client) {
        m_connections.erase(found);
      }
    } catch (...) { // NOLINT(bugprone-empty-catch): only an optimisation failed
    }
  }

  static Response exchange(web::http::client::http_client& client,
                           Request const& request,
                           Url const& url,
                           std::chrono::seconds timeout) {
    web::http::http_request message{to_cpprest(request.method)};
    std::string target = url.path.empty() ? "/" : url.path;
    if (!url.query.empty()) {
      target += "?" + url.query;
    }
    message.set_request_uri(web::uri(target));
    auto const content_type = request.headers.get("Content-Type");
    if (!request.body.empty() || content_type) {
      // Raw bytes as given; set first so that the Content-Type below is the only one.
      message.set_body(std::string(request.body),
                       content_type.value_or("application/octet-stream"));
    }
    for (auto const& [name, value] : request.headers.fields()) {
      if (core::equals_ignoring_case(name, "Content-Type") ||
          core::equals_ignoring_case(name, "Content-Length") ||
          core::equals_ignoring_case(name, "Host")) {
        continue;
      }
      message.headers().add(name, value);
    }
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    pplx::cancellation_token_source cancel;
    auto answer = wait_for(client.request(message, cancel.get_token()), deadline, timeout, cancel);
    auto const bytes = wait_for(answer.extract_vector(), deadline, timeout, cancel);

    Response response;
    response.status = answer.status_code();
    for (auto const& [name, value] : answer.headers()) {
      response.headers.set(name, value);
    }
    response.body.assign(bytes.begin(), bytes.end());
    return response;
  }

  /// Why the exception in flight happened, as a phrase with no query string and no secret.
  static std::string
  describe_failure(Url const& url, VerifyRecord& record, std::chrono::seconds timeout) {
    if (auto const failure = record.take()) {
      return *failure +
             "; if this server uses a private CA, trust it with --ca-bundle or SSL_CERT_FILE";
    }
    std::string reason;
    try {
      throw;
    } catch (RequestTimedOut const& timed_out) {
      return "no answer within " + std::to_string(timed_out.timeout.count()) + " s";
    } catch (web::http::http_exception const& error) {
      if (error.error_code() == std::errc::timed_out) {
        return "no answer within " + std::to_string(timeout.count()) + " s";
      }
      if (error.error_code() == std::errc::connection_refused) {
        return "connection refused (is the server running on port " +
               std::to_string(url.effective_port()) + "?)";
      }
      reason = error.what();
    } catch (web::uri_exception const& error) {
      reason = std::string("the URL is malformed (") + error.what() + ")";
    } catch (pplx::task_canceled const&) {
      reason = "the request was cancelled";
    } catch (std::exception const& error) {
      reason = error.what();
    } catch (...) {
      reason = "unknown failure";
    }
    // cpprestsdk's messages do not quote URLs today; make sure a query never slips through.
    if (!url.query.empty()) {
      for (auto at = reason.find(url.query); at != std::string::npos;
           at = reason.find(url.query, at)) {
        reason.replace(at, url.query.size(), "REDACTED");
      }
    }
    return reason;
  }

  std::shared_ptr<TlsMaterial const> m_tls;
  std::chrono::seconds m_timeout;
  ProxySettings m_proxies;
  std::mutex m_mutex;
  std::map<std::string, Connection> m_connections;
};

} // namespace

void initialize_cpprest(int threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    // No clean-up of OpenSSL at exit: cpprestsdk's pool threads are never joined, so an atexit
    // clean-up would free what they may still be using, and would strand their per-thread state
    // (which LeakSanitizer then reports). The process's end frees it all.
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
    try {
      // One thread stalls cpprestsdk; a few are plenty for a CLI.
      crossplat::threadpool::initialize_with_threads(
          static_cast<std::size_t>(std::max(threads, 2)));
    } catch (std::exception const&) { // NOLINT(bugprone-empty-catch)
      // Already initialised by an earlier request: the existing pool serves just as well.
    }
  });
}

std::shared_ptr<Transport>
make_cpprest_transport(TlsOptions tls, std::chrono::seconds timeout, ProxySettings proxies) {
  return std::make_shared<CpprestTransport>(tls, timeout, std::move(proxies));
}

} // namespace wisetup::http
