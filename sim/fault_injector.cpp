#include "sim/fault_injector.hpp"

#include "sim/encoding.hpp"

#include <stdexcept>

namespace wisetup::sim {
namespace {

std::string optional_string(nlohmann::json const& description, char const* field) {
  auto const found = description.find(field);
  if (found == description.end() || found->is_null()) {
    return {};
  }
  if (!found->is_string()) {
    throw std::invalid_argument(std::string("fault field \"") + field + "\" must be a string");
  }
  return found->get<std::string>();
}

std::string default_code(int status) {
  switch (status) {
  case 400:
    return "BadRequest";
  case 401:
    return "InvalidAuthenticationToken";
  case 403:
    return "AuthorizationFailed";
  case 404:
    return "NotFound";
  case 409:
    return "Conflict";
  case 410:
    return "Gone";
  case 429:
    return "TooManyRequests";
  case 502:
    return "BadGateway";
  case 503:
    return "ServiceUnavailable";
  case 504:
    return "GatewayTimeout";
  default:
    return "InternalServerError";
  }
}

} // namespace

void FaultInjector::add(nlohmann::json const& description) {
  if (!description.is_object()) {
    throw std::invalid_argument("a fault must be a JSON object");
  }
  Entry entry;
  entry.description = description;
  entry.kind = optional_string(description, "kind");
  if (entry.kind.empty()) {
    entry.kind = "response";
  }
  if (entry.kind != "response" && entry.kind != "operation" && entry.kind != "tls") {
    throw std::invalid_argument(
        "fault \"kind\" must be \"response\", \"operation\" or \"tls\", not \"" + entry.kind +
        "\"");
  }
  entry.method = optional_string(description, "method");
  if (entry.method == "*") {
    entry.method.clear();
  }
  entry.service = optional_string(description, "service");
  std::string const pattern = optional_string(description, "path_regex");
  try {
    entry.path = std::regex(pattern.empty() ? std::string(".*") : pattern,
                            std::regex::ECMAScript | std::regex::icase);
  } catch (std::regex_error const& error) {
    throw std::invalid_argument("fault \"path_regex\" is not a valid ECMAScript regular "
                                "expression: " +
                                std::string(error.what()));
  }
  if (auto const times = description.find("times"); times != description.end()) {
    if (!times->is_number_integer()) {
      throw std::invalid_argument("fault \"times\" must be an integer (-1 = unlimited)");
    }
    entry.remaining = times->get<int>();
  }
  if (auto const status = description.find("status"); status != description.end()) {
    if (!status->is_number_integer() || status->get<int>() < 400 || status->get<int>() > 599) {
      throw std::invalid_argument("fault \"status\" must be an HTTP error status (400-599)");
    }
    entry.fault.status = status->get<int>();
  } else if (entry.kind == "response" && description.find("hold_seconds") == description.end()) {
    throw std::invalid_argument("a response fault needs \"status\" (e.g. 429) or \"hold_seconds\"");
  } else {
    entry.fault.status = 0;
  }
  if (auto const hold = description.find("hold_seconds"); hold != description.end()) {
    if (!hold->is_number() || hold->get<double>() < 0 || hold->get<double>() > 600) {
      throw std::invalid_argument("fault \"hold_seconds\" must be a number of seconds, 0 to 600");
    }
    entry.fault.hold =
        std::chrono::milliseconds{static_cast<long long>(hold->get<double>() * 1000)};
  }
  if (entry.kind == "operation") {
    entry.end_status = optional_string(description, "end");
    if (entry.end_status.empty()) {
      entry.end_status = "Failed";
    }
    if (entry.end_status != "Failed" && entry.end_status != "Canceled") {
      throw std::invalid_argument("fault \"end\" must be \"Failed\" or \"Canceled\"");
    }
  }
  if (auto const retry_after = description.find("retry_after"); retry_after != description.end()) {
    if (!retry_after->is_number_integer() || retry_after->get<int>() < 0) {
      throw std::invalid_argument("fault \"retry_after\" must be a whole number of seconds");
    }
    entry.fault.retry_after = retry_after->get<int>();
  }
  entry.fault.code = optional_string(description, "code");
  if (entry.fault.code.empty()) {
    entry.fault.code =
        entry.kind == "operation"
            ? (entry.end_status == "Canceled" ? "OperationCanceled" : "InternalOperationError")
            : default_code(entry.fault.status);
  }
  entry.fault.message = optional_string(description, "message");
  if (entry.fault.message.empty()) {
    entry.fault.message =
        entry.kind == "operation"
            ? (entry.end_status == "Canceled"
                   ? "The operation was canceled (injected by the simulator)."
                   : "The operation failed (injected by the simulator).")
            : "The request failed with " + entry.fault.code + " (injected by the simulator).";
  }
  if (entry.remaining == 0) {
    return;
  }
  std::lock_guard lock{m_mutex};
  m_entries.push_back(std::move(entry));
}

std::optional<InjectedFault> FaultInjector::take_response_fault(std::string const& method,
                                                                std::string const& path,
                                                                std::string const& service) {
  std::lock_guard lock{m_mutex};
  for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
    if (it->kind != "response" || (!it->method.empty() && !iequals(it->method, method)) ||
        (!it->service.empty() && it->service != service) || !std::regex_search(path, it->path)) {
      continue;
    }
    InjectedFault fault = it->fault;
    if (it->remaining > 0 && --it->remaining == 0) {
      m_entries.erase(it);
    }
    return fault;
  }
  return std::nullopt;
}

std::optional<OperationFault> FaultInjector::take_operation_failure(std::string const& cluster_id) {
  std::lock_guard lock{m_mutex};
  for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
    if (it->kind != "operation" || !std::regex_search(cluster_id, it->path)) {
      continue;
    }
    OperationFault fault{it->end_status,
                         {{"code", it->fault.code}, {"message", it->fault.message}}};
    if (it->remaining > 0 && --it->remaining == 0) {
      m_entries.erase(it);
    }
    return fault;
  }
  return std::nullopt;
}

bool FaultInjector::take_tls_failure(std::string const& listener) {
  std::lock_guard lock{m_mutex};
  for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
    if (it->kind != "tls" || (it->service == "kubernetes") != (listener == "kubernetes")) {
      continue;
    }
    if (it->remaining > 0 && --it->remaining == 0) {
      m_entries.erase(it);
    }
    return true;
  }
  return false;
}

nlohmann::json FaultInjector::to_json() const {
  std::lock_guard lock{m_mutex};
  auto faults = nlohmann::json::array();
  for (auto const& entry : m_entries) {
    auto description = entry.description;
    description["times"] = entry.remaining;
    faults.push_back(std::move(description));
  }
  return faults;
}

void FaultInjector::clear() {
  std::lock_guard lock{m_mutex};
  m_entries.clear();
}

} // namespace wisetup::sim
