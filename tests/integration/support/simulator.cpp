#include "integration/support/simulator.hpp"

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace wisetup::integration {
namespace {

constexpr char const* k_arm_scope = "https://management.core.windows.net/.default";
constexpr char const* k_cluster_api_version = "2024-10-01";

std::string base64_decode(std::string const& text) {
  static std::string const alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string decoded;
  unsigned int buffer = 0;
  int bits = 0;
  for (char const c : text) {
    auto const value = alphabet.find(c);
    if (value == std::string::npos) {
      continue; // padding and line breaks
    }
    buffer = (buffer << 6U) | static_cast<unsigned int>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      decoded.push_back(static_cast<char>((buffer >> static_cast<unsigned int>(bits)) & 0xFFU));
    }
  }
  return decoded;
}

/// The `token:` of a kubeconfig's user.
std::string kubeconfig_token(std::string const& kubeconfig) {
  std::string const key = "token: ";
  auto const at = kubeconfig.find(key);
  if (at == std::string::npos) {
    throw std::runtime_error("the cluster's user kubeconfig has no static token");
  }
  auto const start = at + key.size();
  auto const end = kubeconfig.find_first_of("\r\n", start);
  return kubeconfig.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

} // namespace

Simulator::Simulator(SimulatorOptions options)
    : m_seed(options.seed ? *options.seed : default_seed()),
      m_state_dir(make_temp_dir("wisetup-sim")) {
  auto const seed_file = m_state_dir + "/seed.json";
  write_file(seed_file, m_seed.dump(2));
  std::vector<std::string> arguments{"--state-dir",
                                     m_state_dir,
                                     "--seed",
                                     seed_file,
                                     "--cluster-update-seconds",
                                     std::to_string(options.cluster_update_seconds)};
  arguments.insert(arguments.end(), options.extra_arguments.begin(), options.extra_arguments.end());
  m_pid = start_process(WISETUP_SIM_BINARY, arguments, m_state_dir + "/sim.log");

  auto const ready_file = m_state_dir + "/ready.json";
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (!std::filesystem::exists(ready_file)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("wi-setup-sim did not start: " +
                               read_file(m_state_dir + "/sim.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  m_ready = nlohmann::json::parse(read_file(ready_file));
  m_port = m_ready.at("port").get<int>();
  m_cloud_file = m_ready.at("cloud_file").get<std::string>();
  m_ca_bundle = m_ready.at("ca_bundle").get<std::string>();
}

Simulator::~Simulator() {
  if (m_pid > 0) {
    (void)stop_process(m_pid);
  }
  std::error_code ignored;
  std::filesystem::remove_all(m_state_dir, ignored);
}

nlohmann::json Simulator::default_seed() {
  return nlohmann::json::parse(
      read_file(std::string(WISETUP_SOURCE_DIR) + "/sim/seed/default.json"));
}

nlohmann::json
Simulator::call(std::string const& method, std::string const& path, std::string const& body) const {
  httplib::SSLClient client{"127.0.0.1", m_port};
  client.set_ca_cert_path(m_ca_bundle.c_str());
  client.enable_server_certificate_verification(true);
  auto const result = method == "GET" ? client.Get(path.c_str())
                                      : client.Post(path.c_str(), body, "application/json");
  if (!result || result->status >= 300) {
    throw std::runtime_error("simulator control call " + method + " " + path + " failed");
  }
  return result->body.empty() ? nlohmann::json{} : nlohmann::json::parse(result->body);
}

nlohmann::json Simulator::send(int port,
                               std::string const& method,
                               std::string const& path,
                               std::string const& bearer,
                               nlohmann::json const& body,
                               std::string const& content_type) const {
  httplib::SSLClient client{"127.0.0.1", port};
  client.set_ca_cert_path(m_ca_bundle.c_str());
  client.enable_server_certificate_verification(true);
  httplib::Request request;
  request.method = method;
  request.path = path;
  request.headers = {{"Authorization", "Bearer " + bearer}, {"Accept", "application/json"}};
  if (!body.is_null()) {
    request.body = body.dump();
    request.headers.emplace("Content-Type", content_type);
  }
  auto const result = client.send(request);
  if (!result) {
    throw std::runtime_error(method + " " + path + ": no answer from the simulator");
  }
  if (result->status < 200 || result->status >= 300) {
    throw std::runtime_error(method + " " + path + ": " + std::to_string(result->status) + " " +
                             result->body);
  }
  return result->body.empty() ? nlohmann::json{} : nlohmann::json::parse(result->body);
}

nlohmann::json Simulator::arm(std::string const& method,
                              std::string const& path_and_query,
                              nlohmann::json const& body,
                              std::size_t principal_index) const {
  return send(m_port,
              method,
              path_and_query,
              token_for(principal_index, k_arm_scope),
              body,
              "application/json");
}

nlohmann::json Simulator::kubernetes(std::string const& cluster_id,
                                     std::string const& method,
                                     std::string const& path,
                                     nlohmann::json const& body,
                                     std::string const& content_type) const {
  auto const credentials =
      arm("POST",
          cluster_id + "/listClusterUserCredential?api-version=" + k_cluster_api_version,
          nlohmann::json::object());
  auto const kubeconfig =
      base64_decode(credentials.at("kubeconfigs").at(0).at("value").get<std::string>());
  return send(m_ready.at("kube_port").get<int>(),
              method,
              path,
              kubeconfig_token(kubeconfig),
              body,
              content_type);
}

std::string Simulator::token_for(std::size_t principal_index, std::string const& scope) const {
  auto const& principal = m_seed.at("servicePrincipals").at(principal_index);
  httplib::SSLClient client{"127.0.0.1", m_port};
  client.set_ca_cert_path(m_ca_bundle.c_str());
  client.enable_server_certificate_verification(true);
  httplib::Params const form{{"grant_type", "client_credentials"},
                             {"client_id", principal.at("clientId").get<std::string>()},
                             {"client_secret", principal.at("clientSecret").get<std::string>()},
                             {"scope", scope}};
  auto const path = "/" + m_seed.at("tenantId").get<std::string>() + "/oauth2/v2.0/token";
  auto const result = client.Post(path.c_str(), form);
  if (!result || result->status != 200) {
    throw std::runtime_error("the simulator gave no token for principal " +
                             std::to_string(principal_index));
  }
  return nlohmann::json::parse(result->body).at("access_token").get<std::string>();
}

std::string Simulator::external_token(std::string const& issuer,
                                      std::string const& subject,
                                      int lifetime_seconds) const {
  nlohmann::json const request = {{"issuer", issuer},
                                  {"subject", subject},
                                  {"audience", "api://AzureADTokenExchange"},
                                  {"lifetime_seconds", lifetime_seconds}};
  return call("POST", "/_sim/oidc/tokens", request.dump()).at("token").get<std::string>();
}

nlohmann::json Simulator::state() const {
  return call("GET", "/_sim/state");
}

nlohmann::json Simulator::requests() const {
  return call("GET", "/_sim/requests");
}

void Simulator::clear_requests() const {
  (void)call("POST", "/_sim/requests/clear");
}

void Simulator::add_fault(nlohmann::json const& fault) const {
  (void)call("POST", "/_sim/faults", fault.dump());
}

} // namespace wisetup::integration
