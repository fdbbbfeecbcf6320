#pragma once

#include "sim/simulator_context.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace wisetup::sim {

/// An ARM error answer: the HTTP status and the {"error":{"code","message","target"}} envelope.
class ArmError : public std::runtime_error {
public:
  ArmError(int status, std::string code, std::string const& message, std::string target = {});

  [[nodiscard]] int status() const { return m_status; }
  [[nodiscard]] std::string const& code() const { return m_code; }
  [[nodiscard]] std::string const& target() const { return m_target; }
  /// The wire envelope.
  [[nodiscard]] nlohmann::json envelope() const;

private:
  int m_status;
  std::string m_code;
  std::string m_target;
};

/// A successful ARM answer. A null body sends no content.
struct ArmReply {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// One authenticated ARM request being served, with the state locked.
struct ArmCall {
  httplib::Request const& request;
  SimulatorContext& context;
  State& state;
  std::unique_lock<std::mutex>& lock; ///< held; a handler may release it while it waits
  ServicePrincipal caller;
  std::string api_version;
  std::vector<std::string> params; ///< the route's captures, decoded

  /// The request body as a JSON object. Throws ArmError 400 InvalidRequestContent when it is not.
  [[nodiscard]] nlohmann::json body_object() const;
  /// A request header, or "" when absent.
  [[nodiscard]] std::string header(char const* name) const;
  /// A query parameter, decoded, or "" when absent.
  [[nodiscard]] std::string query(char const* name) const;
};

/// 404 ResourceNotFound with ARM's wording; `type_and_name` is e.g.
/// "Microsoft.ContainerService/managedClusters/x".
[[noreturn]] void throw_resource_not_found(std::string const& type_and_name,
                                           std::string const& resource_group);

/// "East US" -> "eastus", as ARM normalises locations.
[[nodiscard]] std::string normalize_location(std::string const& location);

/// The body's "location", normalised. Throws 400 LocationRequired when absent or empty.
[[nodiscard]] std::string required_location(nlohmann::json const& body);

/// Throws 409 InvalidResourceLocation when an existing resource is re-PUT in another location.
void check_same_location(nlohmann::json const& existing,
                         std::string const& location,
                         std::string const& resource_group);

/// The body's "tags" if it is an object (absent = none). Throws 400 InvalidRequestContent
/// otherwise.
[[nodiscard]] nlohmann::json optional_tags(nlohmann::json const& body);

} // namespace wisetup::sim
