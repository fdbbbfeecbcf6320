// Runs the cpprestsdk transport against a local cpp-httplib TLS server whose CA is generated
// here, so that trust, host checks and client certificates are exercised for real, on 127.0.0.1.
#include <wisetup/core/error.hpp>
#include <wisetup/core/stop_request.hpp>
#include <wisetup/http/cpprest_transport.hpp>

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace wisetup::http {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertificateFree {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CertificatePtr = std::unique_ptr<X509, CertificateFree>;

/// A key and its certificate, in memory and as PEM.
struct Identity {
  KeyPtr key;
  CertificatePtr certificate;
  [[nodiscard]] std::string certificate_pem() const {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), BIO_free};
    PEM_write_bio_X509(bio.get(), certificate.get());
    return read_all(bio.get());
  }
  [[nodiscard]] std::string key_pem() const {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), BIO_free};
    PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    return read_all(bio.get());
  }

private:
  static std::string read_all(BIO* bio) {
    char* data = nullptr;
    long const size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
  }
};

void add_extension(X509* certificate, X509* issuer, int nid, char const* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  ASSERT_NE(extension, nullptr) << "extension " << nid << " = " << value;
  X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
}

/// A P-256 key and a certificate named `common_name`, self-signed when `issuer` is null.
Identity make_identity(std::string const& common_name,
                       Identity const* issuer,
                       bool is_ca,
                       char const* extended_usage = nullptr,
                       char const* names = "IP:127.0.0.1,DNS:localhost") {
  Identity identity;
  identity.key.reset(EVP_EC_gen("P-256"));
  identity.certificate.reset(X509_new());
  X509* certificate = identity.certificate.get();
  static std::atomic<long> serial{1};
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), serial++);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 24 * 3600);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name,
                             "CN",
                             MBSTRING_ASC,
                             reinterpret_cast<unsigned char const*>(common_name.c_str()),
                             -1,
                             -1,
                             0);
  X509* issuer_certificate = issuer != nullptr ? issuer->certificate.get() : certificate;
  X509_set_issuer_name(certificate, X509_get_subject_name(issuer_certificate));
  X509_set_pubkey(certificate, identity.key.get());
  add_extension(certificate, issuer_certificate, NID_subject_key_identifier, "hash");
  if (is_ca) {
    add_extension(certificate, issuer_certificate, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(certificate, issuer_certificate, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(certificate, issuer_certificate, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(certificate, issuer_certificate, NID_authority_key_identifier, "keyid");
    add_extension(certificate, issuer_certificate, NID_ext_key_usage, extended_usage);
    add_extension(certificate, issuer_certificate, NID_subject_alt_name, names);
  }
  EVP_PKEY* signing_key = issuer != nullptr ? issuer->key.get() : identity.key.get();
  X509_sign(certificate, signing_key, EVP_sha256());
  return identity;
}

/// A TLS server on 127.0.0.1 that echoes what it received; with a client CA it requires a client
/// certificate issued by it and answers with its common name.
class TestServer {
public:
  TestServer(Identity const& server, Identity const* client_ca) {
    X509_STORE* store = nullptr;
    if (client_ca != nullptr) {
      store = X509_STORE_new();
      X509_STORE_add_cert(store, client_ca->certificate.get());
    }
    // The server takes its own references (and the store).
    m_server =
        std::make_unique<httplib::SSLServer>(server.certificate.get(), server.key.get(), store);
    m_server->Get("/echo", [](httplib::Request const& request, httplib::Response& response) {
      response.status = 200;
      response.set_header("x-ms-request-id", "server-request-id");
      response.set_content("GET " + request.get_param_value("x") + " " +
                               request.get_header_value("x-custom"),
                           "text/plain");
    });
    m_server->Put("/echo", [](httplib::Request const& request, httplib::Response& response) {
      response.status = 201;
      response.set_content(request.get_header_value("Content-Type") + "|" + request.body,
                           "application/json");
    });
    m_server->Get("/missing", [](httplib::Request const&, httplib::Response& response) {
      response.status = 404;
      response.set_content(R"({"error":{"code":"ResourceNotFound"}})", "application/json");
    });
    m_server->Get("/moved", [](httplib::Request const&, httplib::Response& response) {
      response.set_redirect("/echo?x=redirected", 302);
    });
    m_server->Get("/whoami", [](httplib::Request const& request, httplib::Response& response) {
      std::string subject = "nobody";
      if (X509* peer = SSL_get1_peer_certificate(request.ssl); peer != nullptr) {
        char buffer[256] = {};
        X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buffer, 255);
        subject = buffer;
        X509_free(peer);
      }
      response.set_content(subject, "text/plain");
    });
    m_port = m_server->bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] {
      m_server->listen_after_bind();
      m_finished = true;
    });
    // stop() is a no-op until the accept loop runs, so wait for it (without sleeping).
    while (!m_server->is_running() && !m_finished) {
      std::this_thread::yield();
    }
  }
  ~TestServer() {
    m_server->stop();
    m_thread.join();
  }
  TestServer(TestServer const&) = delete;
  TestServer& operator=(TestServer const&) = delete;

  [[nodiscard]] bool valid() const { return m_server->is_valid() && m_port > 0; }
  [[nodiscard]] std::string origin() const { return "https://127.0.0.1:" + std::to_string(m_port); }

private:
  std::unique_ptr<httplib::SSLServer> m_server;
  int m_port = 0;
  std::atomic<bool> m_finished{false};
  std::thread m_thread;
};

class CpprestTransportTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    initialize_cpprest(4);
    initialize_cpprest(4); // a second call is ignored
    s_ca = new Identity(make_identity("wi-setup test CA", nullptr, true));
    s_other_ca = new Identity(make_identity("unrelated CA", nullptr, true));
    s_server = new Identity(make_identity("127.0.0.1", s_ca, false, "serverAuth"));
    s_client = new Identity(make_identity("wi-setup-test-client", s_ca, false, "clientAuth"));
  }
  static void TearDownTestSuite() {
    delete s_ca;
    delete s_other_ca;
    delete s_server;
    delete s_client;
  }

  static TlsOptions trusting(Identity const& ca, bool only = false) {
    TlsOptions tls;
    tls.extra_ca_pem = ca.certificate_pem();
    tls.only_extra_ca = only;
    return tls;
  }

  static std::chrono::seconds constexpr k_timeout{10};
  static inline Identity* s_ca = nullptr;
  static inline Identity* s_other_ca = nullptr;
  static inline Identity* s_server = nullptr;
  static inline Identity* s_client = nullptr;
};

TEST_F(CpprestTransportTest, SucceedsWhenTheCaIsTrusted) {
  TestServer const server{*s_server, nullptr};
  ASSERT_TRUE(server.valid());
  auto const transport = make_cpprest_transport(trusting(*s_ca), k_timeout);

  Request get{Method::Get, server.origin() + "/echo?x=hello%20there", {}, {}};
  get.headers.set("x-custom", "custom value");
  auto const response = transport->send(get);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "GET hello there custom value");
  EXPECT_EQ(response.headers.get("X-MS-Request-Id"), "server-request-id");
  EXPECT_EQ(response.headers.get("content-type"), "text/plain");

  Request put{Method::Put, server.origin() + "/echo", {}, R"({"a":"b"})"};
  put.headers.set("Content-Type", "application/json");
  auto const created = transport->send(put);
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.body, R"(application/json|{"a":"b"})");

  auto const moved = transport->send(Request{Method::Get, server.origin() + "/moved", {}, {}});
  EXPECT_EQ(moved.status, 302); // redirects are the caller's business, never followed
  EXPECT_EQ(moved.headers.get("Location"), "/echo?x=redirected");

  auto const missing = transport->send(Request{Method::Get, server.origin() + "/missing", {}, {}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"error":{"code":"ResourceNotFound"}})");
}

TEST_F(CpprestTransportTest, FailsNamingTheHostWhenTheCaIsNotTrusted) {
  TestServer const server{*s_server, nullptr};
  ASSERT_TRUE(server.valid());
  auto const transport = make_cpprest_transport(TlsOptions{}, k_timeout);
  try {
    (void)transport->send(Request{Method::Get, server.origin() + "/echo?sig=CANARY", {}, {}});
    FAIL() << "expected TransportError";
  } catch (TransportError const& error) {
    std::string const message = error.what();
    EXPECT_EQ(message.rfind("cannot reach " + server.origin() + ": ", 0), 0U) << message;
    EXPECT_NE(message.find("not trusted"), std::string::npos) << message;
    EXPECT_NE(message.find("--ca-bundle"), std::string::npos) << message;
    EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
    EXPECT_EQ(error.exit_code(), core::ExitCode::Network);
  }
}

TEST_F(CpprestTransportTest, FailsWhenTheCertificateNamesAnotherHost) {
  auto const elsewhere =
      make_identity("elsewhere.test", s_ca, false, "serverAuth", "DNS:elsewhere.test");
  TestServer const server{elsewhere, nullptr};
  ASSERT_TRUE(server.valid());
  auto const transport = make_cpprest_transport(trusting(*s_ca), k_timeout);
  try {
    (void)transport->send(Request{Method::Get, server.origin() + "/echo", {}, {}});
    FAIL() << "expected TransportError";
  } catch (TransportError const& error) {
    std::string const message = error.what();
    EXPECT_EQ(message.rfind("cannot reach " + server.origin() + ": ", 0), 0U) << message;
    EXPECT_NE(message.find("does not name this host 127.0.0.1"), std::string::npos) << message;
  }
}

TEST_F(CpprestTransportTest, OnlyExtraCaReplacesTheStore) {
  TestServer const server{*s_server, nullptr};
  ASSERT_TRUE(server.valid());
  auto const wrong = make_cpprest_transport(trusting(*s_other_ca, true), k_timeout);
  EXPECT_THROW((void)wrong->send(Request{Method::Get, server.origin() + "/echo", {}, {}}),
               TransportError);
  auto const right = make_cpprest_transport(trusting(*s_ca, true), k_timeout);
  EXPECT_EQ(right->send(Request{Method::Get, server.origin() + "/echo", {}, {}}).status, 200);
}

TEST_F(CpprestTransportTest, PresentsTheClientCertificate) {
  TestServer const server{*s_server, s_ca};
  ASSERT_TRUE(server.valid());
  auto tls = trusting(*s_ca);
  tls.client_certificate_pem = s_client->certificate_pem();
  tls.client_key_pem = s_client->key_pem();
  auto const transport = make_cpprest_transport(tls, k_timeout);
  auto const response = transport->send(Request{Method::Get, server.origin() + "/whoami", {}, {}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "wi-setup-test-client");
}

TEST_F(CpprestTransportTest, ServerRequiringAClientCertificateRefusesOneWithout) {
  TestServer const server{*s_server, s_ca};
  ASSERT_TRUE(server.valid());
  auto const transport = make_cpprest_transport(trusting(*s_ca), k_timeout);
  EXPECT_THROW((void)transport->send(Request{Method::Get, server.origin() + "/whoami", {}, {}}),
               TransportError);
}

TEST_F(CpprestTransportTest, ParallelRequestsShareOneTransport) {
  TestServer const server{*s_server, nullptr};
  ASSERT_TRUE(server.valid());
  auto const transport = make_cpprest_transport(trusting(*s_ca), k_timeout);
  std::atomic<int> successes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto const x = std::to_string(t * 10 + i);
        auto const response =
            transport->send(Request{Method::Get, server.origin() + "/echo?x=" + x, {}, {}});
        if (response.status == 200 && response.body == "GET " + x + " ") {
          ++successes;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(successes.load(), 20);
}

TEST_F(CpprestTransportTest, ConnectionRefusedNamesTheHost) {
  std::string origin;
  {
    TestServer const server{*s_server, nullptr};
    origin = server.origin();
  }
  auto const transport = make_cpprest_transport(trusting(*s_ca), k_timeout);
  try {
    (void)transport->send(Request{Method::Get, origin + "/echo", {}, {}});
    FAIL() << "expected TransportError";
  } catch (TransportError const& error) {
    EXPECT_EQ(std::string(error.what()).rfind("cannot reach " + origin + ": ", 0), 0U)
        << error.what();
  }
}

/// A listener that completes TCP handshakes (the kernel's backlog) and never says a word: a
/// black-holed endpoint.
class SilentListener {
public:
  SilentListener() : m_socket(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    if (bind(m_socket, raw, length) != 0 || listen(m_socket, 16) != 0 ||
        getsockname(m_socket, raw, &length) != 0) {
      throw std::runtime_error("cannot listen on loopback");
    }
    m_port = ntohs(address.sin_port);
  }
  ~SilentListener() { close(m_socket); }
  SilentListener(SilentListener const&) = delete;
  SilentListener& operator=(SilentListener const&) = delete;
  [[nodiscard]] std::string origin() const { return "https://127.0.0.1:" + std::to_string(m_port); }

private:
  int m_socket;
  int m_port = 0;
};

TEST_F(CpprestTransportTest, AHostThatNeverAnswersIsGivenUpOnAtTheTimeout) {
  SilentListener const black_hole;
  auto const transport = make_cpprest_transport(trusting(*s_ca), std::chrono::seconds{1});
  auto const started = std::chrono::steady_clock::now();
  try {
    (void)transport->send(Request{Method::Get, black_hole.origin() + "/read", {}, {}});
    FAIL() << "expected TransportError";
  } catch (TransportError const& error) {
    EXPECT_NE(std::string(error.what()).find("no answer within 1 s"), std::string::npos)
        << error.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{5});
}

TEST_F(CpprestTransportTest, AStopRequestEndsARequestInFlight) {
  SilentListener const black_hole;
  core::stop_request::reset_for_tests();
  auto const transport = make_cpprest_transport(trusting(*s_ca), std::chrono::seconds{60});
  std::thread stopper{[] {
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
    core::stop_request::request({core::ExitCode::Interrupted, "interrupted by SIGINT"});
  }};
  auto const started = std::chrono::steady_clock::now();
  EXPECT_THROW(
      (void)transport->send(Request{Method::Put, black_hole.origin() + "/write", {}, "{}"}),
      core::Stopped);
  stopper.join();
  core::stop_request::reset_for_tests();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{2});
}

TEST_F(CpprestTransportTest, RefusesUnusableTlsMaterialUpFront) {
  TlsOptions garbage;
  garbage.extra_ca_pem = "not a certificate";
  EXPECT_THROW((void)make_cpprest_transport(garbage, k_timeout), core::InvalidInput);

  TlsOptions mismatched;
  mismatched.client_certificate_pem = s_client->certificate_pem();
  mismatched.client_key_pem = s_server->key_pem();
  EXPECT_THROW((void)make_cpprest_transport(mismatched, k_timeout), core::InvalidInput);

  TlsOptions half;
  half.client_certificate_pem = s_client->certificate_pem();
  EXPECT_THROW((void)make_cpprest_transport(half, k_timeout), core::InvalidInput);
}

} // namespace
} // namespace wisetup::http
