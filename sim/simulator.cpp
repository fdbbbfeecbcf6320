#include "sim/simulator.hpp"

#include "sim/arm_service.hpp"
#include "sim/control_api.hpp"
#include "sim/default_seed.hpp"
#include "sim/github_actions.hpp"
#include "sim/graph_service.hpp"
#include "sim/hosted_issuers.hpp"
#include "sim/http_answers.hpp"
#include "sim/key_vault_data_plane.hpp"
#include "sim/kubernetes_api.hpp"
#include "sim/managed_identity_endpoint.hpp"
#include "sim/oidc_issuer.hpp"
#include "sim/random_values.hpp"
#include "sim/seed.hpp"
#include "sim/simulator_context.hpp"
#include "sim/token_service.hpp"

#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace wisetup::sim {
namespace {

// Enough workers that clients holding keep-alive connections do not starve each other.
constexpr std::size_t k_worker_threads = 32;
constexpr char const* k_session_context = "wi-setup-sim";

void write_file(std::filesystem::path const& path, std::string const& content) {
  std::ofstream file{path, std::ios::binary | std::ios::trunc};
  file << content;
  file.close();
  if (!file) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

std::string read_file(std::filesystem::path const& path) {
  std::ifstream file{path, std::ios::binary};
  if (!file) {
    throw std::runtime_error("cannot read the seed file " + path.string());
  }
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

nlohmann::json cloud_document(std::string const& base_url) {
  return {{"name", "WiSetupSim"},
          {"isActive", false},
          {"profile", "latest"},
          {"endpoints",
           {{"resourceManager", base_url + "/"},
            {"activeDirectory", base_url},
            {"activeDirectoryResourceId", "https://management.core.windows.net/"},
            {"activeDirectoryGraphResourceId", "https://graph.windows.net/"},
            {"microsoftGraphResourceId", simulated_graph_resource(base_url)},
            {"management", "https://management.core.windows.net/"},
            {"batchResourceId", "https://batch.core.windows.net/"},
            {"logAnalyticsResourceId", "https://api.loganalytics.io"},
            {"mediaResourceId", "https://rest.media.azure.net"},
            {"ossrdbmsResourceId", "https://ossrdbms-aad.database.windows.net"},
            {"sqlManagement", "https://management.core.windows.net:8443/"},
            {"appInsightsResourceId", "https://api.applicationinsights.io"},
            {"appInsightsTelemetryChannelResourceId",
             "https://dc.applicationinsights.azure.com/v2/track"},
            {"attestationResourceId", "https://attest.azure.net"},
            {"synapseAnalyticsResourceId", "https://dev.azuresynapse.net"}}},
          {"suffixes",
           {{"acrLoginServerEndpoint", ".azurecr.io"},
            {"attestationEndpoint", ".attest.azure.net"},
            {"azureDatalakeAnalyticsCatalogAndJobEndpoint", "azuredatalakeanalytics.net"},
            {"azureDatalakeStoreFileSystemEndpoint", "azuredatalakestore.net"},
            {"keyvaultDns", ".vault.azure.net"},
            {"mhsmDns", ".managedhsm.azure.net"},
            {"mysqlServerEndpoint", ".mysql.database.azure.com"},
            {"postgresqlServerEndpoint", ".postgres.database.azure.com"},
            {"sqlServerHostname", ".database.windows.net"},
            {"storageEndpoint", "core.windows.net"},
            {"storageSyncEndpoint", "afs.azure.net"},
            {"synapseAnalyticsEndpoint", ".dev.azuresynapse.net"}}}};
}

std::string raw_query(httplib::Request const& request) {
  auto const question = request.target.find('?');
  return question == std::string::npos ? std::string{} : request.target.substr(question + 1);
}

std::string service_of(std::string const& path) {
  if (path.rfind("/subscriptions/", 0) == 0 || path == "/subscriptions" || path == "/tenants") {
    return "arm";
  }
  if (is_key_vault_path(path)) {
    return "keyvault";
  }
  if (is_graph_path(path)) {
    return "graph";
  }
  if (is_oidc_path(path)) {
    return "oidc";
  }
  if (is_github_token_path(path)) {
    return "github";
  }
  if (is_token_service_path(path)) {
    return "token";
  }
  return "arm";
}

void send_fault(std::string const& service,
                httplib::Request const& request,
                httplib::Response& response,
                InjectedFault const& fault) {
  if (fault.retry_after) {
    response.set_header("Retry-After", std::to_string(*fault.retry_after));
  }
  if (service == "kubernetes") {
    send_json(response, fault.status, kube_status(fault.status, fault.code, fault.message));
  } else if (service == "imds") {
    send_json(
        response, fault.status, {{"error", fault.code}, {"error_description", fault.message}});
  } else if (service == "github") {
    send_json(response, fault.status, {{"message", fault.message}});
  } else if (service == "token") {
    send_json(response,
              fault.status,
              {{"error", fault.code}, {"error_description", fault.message}, {"error_codes", {0}}});
  } else {
    add_arm_headers(request, response);
    send_json(response, fault.status, arm_error_body(fault.code, fault.message));
  }
}

/// Which listener a TLS handshake is on, for its fault check.
struct TlsFaultCheck {
  FaultInjector* faults = nullptr;
  std::string listener;
};

/// OpenSSL's client hello callback: fails the handshake when a "tls" fault is armed.
int fail_handshake_if_asked(SSL* /*ssl*/, int* alert, void* arg) {
  auto const* check = static_cast<TlsFaultCheck const*>(arg);
  if (check->faults->take_tls_failure(check->listener)) {
    *alert = SSL_AD_HANDSHAKE_FAILURE;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

} // namespace

struct Simulator::Impl {
  SimulatorContext context;
  std::unique_ptr<IssuedCertificate> server_certificate;
  std::unique_ptr<httplib::SSLServer> main_server;
  std::unique_ptr<httplib::SSLServer> kube_server;
  TlsFaultCheck main_tls_faults;
  TlsFaultCheck kube_tls_faults;
  std::unique_ptr<httplib::Server> imds_server; // managed identity endpoints are plain HTTP
  std::thread main_thread;
  std::thread kube_thread;
  std::thread imds_thread;
  // Set by stop(), so that answers held by a fault end with the simulator, not after their hold.
  std::mutex stop_mutex;
  std::condition_variable stop_requested;
  bool stopping = false;

  void hold(std::chrono::milliseconds duration) {
    std::unique_lock lock{stop_mutex};
    stop_requested.wait_for(lock, duration, [this] { return stopping; });
  }

  // Latency, faults and the request log wrap every non-control request.
  void serve(std::string const& service,
             httplib::Request const& request,
             httplib::Response& response,
             std::function<void()> const& handler) {
    if (context.options.latency.count() > 0) {
      std::this_thread::sleep_for(context.options.latency);
    }
    auto fault = context.faults.take_response_fault(request.method, request.path, service);
    if (fault && fault->hold.count() > 0) {
      hold(fault->hold); // a hung answer: the client gives up first
    }
    if (fault && fault->status != 0) {
      send_fault(service, request, response, *fault);
    } else {
      try {
        handler();
      } catch (std::exception const& error) {
        send_json(response,
                  500,
                  arm_error_body("InternalServerError",
                                 std::string("The simulator failed: ") + error.what()));
      }
    }
    context.requests.record({0,
                             request.method,
                             request.path,
                             raw_query(request),
                             response.status,
                             service,
                             is_write_request(service, request.method, request.path)});
  }

  void serve_main(httplib::Request const& request, httplib::Response& response) {
    if (request.path.rfind("/_sim/", 0) == 0) {
      handle_control(context, request, response);
      return;
    }
    std::string const service = service_of(request.path);
    serve(service, request, response, [&] {
      if (service == "token") {
        handle_token_service(context, request, response);
      } else if (service == "oidc") {
        handle_oidc(context, request, response);
      } else if (service == "github") {
        handle_github_token_service(context, request, response);
      } else if (service == "keyvault") {
        handle_key_vault(context, request, response);
      } else if (service == "graph") {
        handle_graph(context, request, response);
      } else {
        handle_arm(context, request, response);
      }
    });
  }

  void serve_kube(httplib::Request const& request, httplib::Response& response) {
    serve("kubernetes", request, response, [&] { handle_kubernetes(context, request, response); });
  }

  void serve_imds(httplib::Request const& request, httplib::Response& response) {
    serve("imds", request, response, [&] { handle_managed_identity(context, request, response); });
  }

  static void route_everything(httplib::Server& server, httplib::Server::Handler const& handler) {
    // A request without Content-Length or Transfer-Encoding has no body (RFC 9112 6.3), but
    // cpp-httplib 0.11 answers such a POST/PUT/PATCH/DELETE with 400; serve it before that.
    server.set_pre_routing_handler([handler](httplib::Request const& request,
                                             httplib::Response& response) {
      bool const bodyless = !request.has_header("Content-Length") &&
                            !request.has_header("Transfer-Encoding") && request.method != "GET" &&
                            request.method != "HEAD" && request.method != "OPTIONS";
      if (!bodyless) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      handler(request, response);
      return httplib::Server::HandlerResponse::Handled;
    });
    server.set_keep_alive_max_count(1000);
    server.Get(".*", handler);
    server.Post(".*", handler);
    server.Put(".*", handler);
    server.Patch(".*", handler);
    server.Delete(".*", handler);
    server.Options(".*", handler);
    server.new_task_queue = [] {
      return new httplib::ThreadPool(k_worker_threads);
    };
  }
};

Simulator::Simulator(Options options) : m_impl(std::make_unique<Impl>()) {
  m_impl->context.options = std::move(options);
}

Simulator::~Simulator() {
  stop();
}

void Simulator::start() {
  Impl& impl = *m_impl;
  SimulatorContext& context = impl.context;
  auto const& directory = context.options.state_dir;
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    throw std::runtime_error("cannot create the state directory " + directory.string() + ": " +
                             error.message());
  }
  std::filesystem::remove(directory / "ready.json", error);

  auto authority = std::make_shared<CertificateAuthority>("wi-setup-sim CA");
  impl.server_certificate = std::make_unique<IssuedCertificate>(
      authority->issue_server_certificate("127.0.0.1", {"localhost"}, {"127.0.0.1"}));
  context.server_ca = authority;

  X509* certificate = impl.server_certificate->certificate();
  EVP_PKEY* key = impl.server_certificate->key();
  impl.main_server = std::make_unique<httplib::SSLServer>(certificate, key);
  // The kube listener asks for a client certificate but accepts any: the handler checks it
  // against each cluster's client CA and answers 401 itself, as the API server does.
  impl.kube_server = std::make_unique<httplib::SSLServer>([certificate, key](SSL_CTX& ssl) {
    SSL_CTX_set_options(&ssl,
                        SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
    SSL_CTX_set_min_proto_version(&ssl, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate(&ssl, certificate) != 1 || SSL_CTX_use_PrivateKey(&ssl, key) != 1) {
      return false;
    }
    SSL_CTX_set_session_id_context(&ssl,
                                   reinterpret_cast<unsigned char const*>(k_session_context),
                                   static_cast<unsigned>(std::strlen(k_session_context)));
    SSL_CTX_set_verify(&ssl, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
    return true;
  });
  if (!impl.main_server->is_valid() || !impl.kube_server->is_valid()) {
    throw std::runtime_error("cannot set up TLS for the simulator's listeners");
  }
  // TLS faults: a handshake the fault injector asks to fail ends with a handshake_failure alert.
  impl.main_tls_faults = {&context.faults, "main"};
  impl.kube_tls_faults = {&context.faults, "kubernetes"};
  SSL_CTX_set_client_hello_cb(
      impl.main_server->ssl_context(), &fail_handshake_if_asked, &impl.main_tls_faults);
  SSL_CTX_set_client_hello_cb(
      impl.kube_server->ssl_context(), &fail_handshake_if_asked, &impl.kube_tls_faults);
  // Answers go out in several writes (headers, body); without TCP_NODELAY, Nagle's algorithm and
  // the client's delayed ACK add about 40 ms to every round trip on a kept-alive connection,
  // which real Azure front ends do not.
  impl.main_server->set_tcp_nodelay(true);
  impl.kube_server->set_tcp_nodelay(true);
  Impl::route_everything(*impl.main_server,
                         [&impl](httplib::Request const& request, httplib::Response& response) {
                           impl.serve_main(request, response);
                         });
  Impl::route_everything(*impl.kube_server,
                         [&impl](httplib::Request const& request, httplib::Response& response) {
                           impl.serve_kube(request, response);
                         });
  impl.imds_server = std::make_unique<httplib::Server>();
  impl.imds_server->set_tcp_nodelay(true);
  Impl::route_everything(*impl.imds_server,
                         [&impl](httplib::Request const& request, httplib::Response& response) {
                           impl.serve_imds(request, response);
                         });

  if (context.options.port == 0) {
    context.port = impl.main_server->bind_to_any_port("127.0.0.1");
  } else if (impl.main_server->bind_to_port("127.0.0.1", context.options.port)) {
    context.port = context.options.port;
  }
  if (context.port <= 0) {
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(context.options.port) +
                             "; the port is in use or not allowed (choose another with --port, or "
                             "0 for any free port)");
  }
  context.kube_port = impl.kube_server->bind_to_any_port("127.0.0.1");
  if (context.kube_port <= 0) {
    throw std::runtime_error("cannot find a free port for the Kubernetes API listener");
  }
  if (context.options.imds_port == 0) {
    context.imds_port = impl.imds_server->bind_to_any_port("127.0.0.1");
  } else if (impl.imds_server->bind_to_port("127.0.0.1", context.options.imds_port)) {
    context.imds_port = context.options.imds_port;
  }
  if (context.imds_port <= 0) {
    throw std::runtime_error(
        "cannot listen on 127.0.0.1:" + std::to_string(context.options.imds_port) +
        " for the managed identity endpoints; the port is in use or not allowed (choose another "
        "with --imds-port, or 0 for any free port)");
  }
  context.base_url = "https://127.0.0.1:" + std::to_string(context.port);
  context.github_request_token = random_hex(24);
  context.identity_header = random_hex(16);

  impl.main_thread = std::thread([&impl] { impl.main_server->listen_after_bind(); });
  impl.kube_thread = std::thread([&impl] { impl.kube_server->listen_after_bind(); });
  impl.imds_thread = std::thread([&impl] { impl.imds_server->listen_after_bind(); });
  // stop() only works on a running server, so wait until all accept connections.
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  while (!impl.main_server->is_running() || !impl.kube_server->is_running() ||
         !impl.imds_server->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the simulator's listeners did not start within 10 seconds");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }

  try {
    nlohmann::json seed;
    std::string const seed_name =
        context.options.seed ? context.options.seed->string() : std::string("the built-in seed");
    std::string const seed_text =
        context.options.seed ? read_file(*context.options.seed) : std::string(default_seed());
    seed = nlohmann::json::parse(seed_text, nullptr, /*allow_exceptions=*/false);
    if (seed.is_discarded()) {
      throw std::runtime_error(seed_name + " is not valid JSON");
    }
    try {
      State state = state_from_seed(seed, context.base_url, context.options.cluster_update);
      std::lock_guard lock{context.mutex};
      context.state = std::move(state);
    } catch (SeedError const& failure) {
      throw std::runtime_error(seed_name + ": " + failure.what());
    }

    auto const absolute = std::filesystem::absolute(directory);
    write_file(absolute / "ca.pem", authority->certificate_pem());
    write_file(absolute / "cloud.json", cloud_document(context.base_url).dump(2) + "\n");

    std::string const imds_url = "http://127.0.0.1:" + std::to_string(context.imds_port);
    nlohmann::json const ready = {
        {"port", context.port},
        {"pid", static_cast<long long>(::getpid())},
        {"ca_bundle", (absolute / "ca.pem").string()},
        {"cloud_file", (absolute / "cloud.json").string()},
        {"base_url", context.base_url},
        {"kube_port", context.kube_port},
        {"kube_url", "https://127.0.0.1:" + std::to_string(context.kube_port)},
        {"tenant_id", context.state.tenant_id},
        {"imds_port", context.imds_port},
        {"imds_url", imds_url},
        {"identity_endpoint", imds_url + "/msi/token"},
        {"identity_header", context.identity_header},
        {"github_issuer", github_issuer_url(context.base_url)},
        {"github_token_url", context.base_url + "/github/token?api-version=2.0"},
        {"github_request_token", context.github_request_token},
        {"device_login_url", context.base_url + "/devicelogin"}};
    write_file(absolute / "ready.json.tmp", ready.dump(2) + "\n");
    std::filesystem::rename(absolute / "ready.json.tmp", absolute / "ready.json");
  } catch (...) {
    stop();
    throw;
  }
}

void Simulator::stop() {
  Impl& impl = *m_impl;
  {
    std::lock_guard lock{impl.stop_mutex};
    impl.stopping = true;
  }
  impl.stop_requested.notify_all();
  for (httplib::Server* server : {static_cast<httplib::Server*>(impl.main_server.get()),
                                  static_cast<httplib::Server*>(impl.kube_server.get()),
                                  impl.imds_server.get()}) {
    if (server != nullptr) {
      server->stop();
    }
  }
  for (auto* thread : {&impl.main_thread, &impl.kube_thread, &impl.imds_thread}) {
    if (thread->joinable()) {
      thread->join();
    }
  }
}

int Simulator::port() const {
  return m_impl->context.port;
}

int Simulator::kube_port() const {
  return m_impl->context.kube_port;
}

std::string Simulator::base_url() const {
  return m_impl->context.base_url;
}

int Simulator::imds_port() const {
  return m_impl->context.imds_port;
}

std::string Simulator::github_request_token() const {
  return m_impl->context.github_request_token;
}

std::string Simulator::identity_header() const {
  return m_impl->context.identity_header;
}

std::filesystem::path Simulator::ca_bundle_path() const {
  return std::filesystem::absolute(m_impl->context.options.state_dir) / "ca.pem";
}

} // namespace wisetup::sim
