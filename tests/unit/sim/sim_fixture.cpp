#include "sim_fixture.hpp"

#include "sim/random_values.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

namespace wisetup::sim::testing {

std::string resource_path(std::string const& group, std::string const& provider_path) {
  return std::string("/subscriptions/") + k_subscription + "/resourceGroups/" + group +
         "/providers/" + provider_path;
}

std::string cluster_path() {
  return resource_path("myResourceGroup",
                       "Microsoft.ContainerService/managedClusters/myAKSCluster");
}

std::string identity_path(std::string const& name, std::string const& group) {
  return resource_path(group, "Microsoft.ManagedIdentity/userAssignedIdentities/" + name);
}

std::string vault_path(std::string const& name) {
  return resource_path("myResourceGroup", "Microsoft.KeyVault/vaults/" + name);
}

std::string Answer::header(std::string const& name) const {
  for (auto const& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return {};
}

void SimFixture::SetUp() {
  m_options.state_dir =
      std::filesystem::temp_directory_path() / ("wi-setup-sim-test-" + random_hex(6));
  m_options.cluster_update = Seconds{0.2};
  m_options.fic_write_hold = std::chrono::milliseconds{0};
  configure(m_options);
  m_simulator = std::make_unique<Simulator>(m_options);
  m_simulator->start();
  m_client = std::make_unique<httplib::SSLClient>("127.0.0.1", m_simulator->port());
  m_client->set_ca_cert_path(m_simulator->ca_bundle_path().string());
  m_client->enable_server_certificate_verification(true);
}

void SimFixture::TearDown() {
  m_client.reset();
  if (m_simulator) {
    m_simulator->stop();
  }
  std::error_code ignored;
  std::filesystem::remove_all(m_options.state_dir, ignored);
}

Answer SimFixture::send(std::string const& method,
                        std::string const& path,
                        std::string const& body,
                        std::string const& content_type,
                        httplib::Headers const& headers) {
  httplib::Result result{nullptr, httplib::Error::Unknown};
  if (method == "GET") {
    result = m_client->Get(path, headers);
  } else if (method == "POST") {
    result = content_type.empty() ? m_client->Post(path, headers)
                                  : m_client->Post(path, headers, body, content_type);
  } else if (method == "PUT") {
    result = m_client->Put(path, headers, body, content_type);
  } else if (method == "PATCH") {
    result = m_client->Patch(path, headers, body, content_type);
  } else if (method == "DELETE") {
    result = content_type.empty() ? m_client->Delete(path, headers)
                                  : m_client->Delete(path, headers, body, content_type);
  }
  if (!result) {
    ADD_FAILURE() << method << " " << path << " failed: " << httplib::to_string(result.error());
    return {};
  }
  Answer answer{result->status, result->body, nullptr, result->headers};
  answer.json = nlohmann::json::parse(result->body, nullptr, false);
  if (answer.json.is_discarded()) {
    answer.json = nullptr;
  }
  return answer;
}

Answer SimFixture::post_form(std::string const& path,
                             std::vector<std::pair<std::string, std::string>> const& fields) {
  std::string body;
  for (auto const& [key, value] : fields) {
    body += (body.empty() ? "" : "&") + key + "=" + httplib::detail::encode_query_param(value);
  }
  return send("POST", path, body, "application/x-www-form-urlencoded");
}

Answer SimFixture::arm_as(std::string const& bearer,
                          std::string const& method,
                          std::string const& path_and_query) {
  return send(method, path_and_query, {}, {}, {{"Authorization", "Bearer " + bearer}});
}

Answer SimFixture::request_token(std::string const& client_id,
                                 std::string const& secret,
                                 std::string const& scope,
                                 std::string const& tenant) {
  httplib::Params form{{"grant_type", "client_credentials"},
                       {"client_id", client_id},
                       {"client_secret", secret},
                       {"scope", scope}};
  std::string body;
  for (auto const& [key, value] : form) {
    body += (body.empty() ? "" : "&") + key + "=" + httplib::detail::encode_query_param(value);
  }
  return send(
      "POST", "/" + tenant + "/oauth2/v2.0/token", body, "application/x-www-form-urlencoded");
}

std::string SimFixture::token() {
  if (!m_token) {
    Answer const answer = request_token(k_demo_client, k_demo_secret);
    EXPECT_EQ(answer.status, 200) << answer.text;
    m_token = answer.json.value("access_token", "");
  }
  return *m_token;
}

Answer SimFixture::arm(std::string const& method,
                       std::string const& path_and_query,
                       nlohmann::json const& body,
                       httplib::Headers headers) {
  headers.emplace("Authorization", "Bearer " + token());
  if (body.is_null()) {
    return send(method, path_and_query, {}, {}, headers);
  }
  return send(method, path_and_query, body.dump(), "application/json", headers);
}

nlohmann::json SimFixture::state() {
  return send("GET", "/_sim/state").json;
}

std::string SimFixture::user_kubeconfig() {
  Answer const answer =
      arm("POST", cluster_path() + "/listClusterUserCredential?api-version=2024-09-01");
  EXPECT_EQ(answer.status, 200) << answer.text;
  return base64_decode(answer.json["kubeconfigs"][0]["value"].get<std::string>());
}

std::string
SimFixture::kubeconfig_field(std::string const& yaml, std::string const& field, bool decode) {
  auto const start = yaml.find(field + ": ");
  if (start == std::string::npos) {
    return {};
  }
  auto const value_start = start + field.size() + 2;
  std::string const value = yaml.substr(value_start, yaml.find('\n', value_start) - value_start);
  return decode ? base64_decode(value) : value;
}

std::string SimFixture::write_temp(std::string const& name, std::string const& content) {
  auto const path = m_options.state_dir / name;
  std::ofstream{path} << content;
  return path.string();
}

Answer SimFixture::poll_arm(std::string const& path_and_query,
                            std::function<bool(Answer const&)> const& done,
                            double seconds) {
  auto const deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(seconds));
  Answer answer = arm("GET", path_and_query);
  while (!done(answer) && std::chrono::steady_clock::now() < deadline) {
    // The simulated operation runs in real time (0.2 s here); poll it briefly.
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
    answer = arm("GET", path_and_query);
  }
  return answer;
}

namespace {

nlohmann::json jwt_part(std::string const& token, std::size_t index) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    start = token.find('.', start) + 1;
  }
  std::string part = token.substr(start, token.find('.', start) - start);
  std::replace(part.begin(), part.end(), '-', '+');
  std::replace(part.begin(), part.end(), '_', '/');
  return nlohmann::json::parse(base64_decode(part), nullptr, false);
}

} // namespace

nlohmann::json jwt_claims(std::string const& token) {
  return jwt_part(token, 1);
}

nlohmann::json jwt_header(std::string const& token) {
  return jwt_part(token, 0);
}

std::filesystem::path source_file(std::string const& relative) {
  return std::filesystem::path(WISETUP_SOURCE_DIR) / relative;
}

std::string base64_decode(std::string const& text) {
  static std::string const k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char const c : text) {
    auto const index = k_alphabet.find(c);
    if (index == std::string::npos) {
      continue;
    }
    buffer = (buffer << 6u) | static_cast<unsigned>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFu));
    }
  }
  return out;
}

} // namespace wisetup::sim::testing
