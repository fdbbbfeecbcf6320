#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace wisetup::sim {

/// One served request as tests see it: never headers, bodies or credentials.
struct LoggedRequest {
  std::int64_t seq = 0; ///< assigned by RequestLog::record, increasing, never reused
  std::string method;
  std::string path;  ///< decoded path, without the query
  std::string query; ///< the raw query string, without '?'
  int status = 0;
  std::string
      service; ///< "token", "arm", "kubernetes", "oidc", "github", "imds", "keyvault", "graph"
  bool write = false; ///< true for requests that change state (see is_write_request)
};

/// True for PUT, PATCH and DELETE, and for POST except token requests, the ARM actions that only
/// read (listClusterUserCredential, listClusterAdminCredential), Kubernetes TokenRequests
/// (.../serviceaccounts/{name}/token) and self reviews (SelfSubjectAccessReview,
/// SelfSubjectReview). GETs (also of the Key Vault data plane and Graph) are never writes.
[[nodiscard]] bool
is_write_request(std::string const& service, std::string const& method, std::string const& path);

/// The request log behind GET /_sim/requests. Thread-safe.
class RequestLog {
public:
  void record(LoggedRequest entry);
  /// The entries since the last clear, oldest first, as a JSON array.
  [[nodiscard]] nlohmann::json to_json() const;
  void clear();

private:
  mutable std::mutex m_mutex;
  std::int64_t m_next_seq = 1;
  std::vector<LoggedRequest> m_entries;
};

} // namespace wisetup::sim
