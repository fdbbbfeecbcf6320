#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace wisetup::sim {

/// An error to answer instead of serving a request.
struct InjectedFault {
  int status = 500; ///< 0: after the hold, serve the request as usual (a slow answer)
  std::string code;
  std::string message;
  std::optional<int> retry_after;    ///< seconds, sent as Retry-After
  std::chrono::milliseconds hold{0}; ///< how long the answer is held back first (a hung answer)
};

/// How an injected operation fault ends the operation.
struct OperationFault {
  std::string status;   ///< "Failed" or "Canceled"
  nlohmann::json error; ///< {"code", "message"}
};

/// Faults registered through POST /_sim/faults (docs/simulator.md). Three kinds:
/// "response" (default): the next `times` requests matching method, service and path_regex get
/// the error (after `hold_seconds`; without a status, a held answer is then served as usual);
/// "operation": the next `times` cluster operations whose cluster id matches path_regex end
/// `end` ("Failed", the default, or "Canceled") with {code, message}; "tls": the next `times`
/// TLS handshakes on a listener ("service": "kubernetes" for the API server's, else the main
/// one) fail with a handshake_failure alert. Thread-safe.
class FaultInjector {
public:
  /// Registers a fault from its JSON description. Throws std::invalid_argument naming the field
  /// that is missing or malformed.
  void add(nlohmann::json const& description);

  /// Consumes one use of the first response fault matching the request, if any.
  [[nodiscard]] std::optional<InjectedFault> take_response_fault(std::string const& method,
                                                                 std::string const& path,
                                                                 std::string const& service);

  /// Consumes one use of the first operation fault matching `cluster_id`; returns the ARM error
  /// object {"code","message"} the operation ends with.
  [[nodiscard]] std::optional<OperationFault> take_operation_failure(std::string const& cluster_id);

  /// Consumes one use of the first TLS fault of `listener` ("main" or "kubernetes").
  [[nodiscard]] bool take_tls_failure(std::string const& listener);

  /// The faults still armed, as registered, with the uses left in "times".
  [[nodiscard]] nlohmann::json to_json() const;
  void clear();

private:
  struct Entry {
    nlohmann::json description;
    std::string kind;
    std::string method;  // empty = any
    std::string service; // empty = any
    std::regex path;
    int remaining = 1; // < 0: unlimited
    InjectedFault fault;
    std::string end_status = "Failed"; // operation faults
  };

  mutable std::mutex m_mutex;
  std::vector<Entry> m_entries;
};

} // namespace wisetup::sim
