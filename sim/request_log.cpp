#include "sim/request_log.hpp"

#include "sim/encoding.hpp"

namespace wisetup::sim {

bool is_write_request(std::string const& service,
                      std::string const& method,
                      std::string const& path) {
  if (method == "PUT" || method == "PATCH" || method == "DELETE") {
    return true;
  }
  if (method != "POST" || service == "token") {
    return false;
  }
  // Kubernetes POSTs that create nothing: TokenRequests and the self reviews.
  if (service == "kubernetes" &&
      (path.ends_with("/token") || path.rfind("/apis/authorization.k8s.io/", 0) == 0 ||
       path.rfind("/apis/authentication.k8s.io/", 0) == 0)) {
    return false;
  }
  return !(service == "arm" && (iends_with(path, "/listClusterUserCredential") ||
                                iends_with(path, "/listClusterAdminCredential")));
}

void RequestLog::record(LoggedRequest entry) {
  std::lock_guard lock{m_mutex};
  entry.seq = m_next_seq++;
  m_entries.push_back(std::move(entry));
}

nlohmann::json RequestLog::to_json() const {
  std::lock_guard lock{m_mutex};
  auto entries = nlohmann::json::array();
  for (auto const& entry : m_entries) {
    entries.push_back({{"seq", entry.seq},
                       {"method", entry.method},
                       {"path", entry.path},
                       {"query", entry.query},
                       {"status", entry.status},
                       {"service", entry.service},
                       {"write", entry.write}});
  }
  return entries;
}

void RequestLog::clear() {
  std::lock_guard lock{m_mutex};
  m_entries.clear();
}

} // namespace wisetup::sim
