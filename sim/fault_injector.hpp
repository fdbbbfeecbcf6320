#pragma once

#include <nlohmann/json.hpp>

#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace wisetup::sim {

/// An error to answer instead of serving a request.
struct InjectedFault {
  int status = 500;
  std::string code;
  std::string message;
  std::optional<int> retry_after; ///< seconds, sent as Retry-After
};

/// Faults registered through POST /_sim/faults (docs/simulator.md). Two kinds:
/// "response" (default): the next `times` requests matching method, service and path_regex get
/// the error; "operation": the next `times` cluster operations whose cluster id matches
/// path_regex end Failed with {code, message}. Thread-safe.
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
  [[nodiscard]] std::optional<nlohmann::json> take_operation_failure(std::string const& cluster_id);

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
  };

  mutable std::mutex m_mutex;
  std::vector<Entry> m_entries;
};

} // namespace wisetup::sim
