#include "integration/support/simulator.hpp"

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace wisetup::integration {

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
