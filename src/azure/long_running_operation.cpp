#include "azure/json_fields.hpp"
#include "azure/poll_schedule.hpp"

#include <wisetup/azure/arm_error.hpp>
#include <wisetup/azure/long_running_operation.hpp>
#include <wisetup/http/service_error.hpp>

namespace wisetup::azure {
namespace {

using detail::same_status;

/// Polls of a status URL that answers 404 before the resource itself is watched instead.
constexpr int k_missing_status_polls = 10;

std::string provisioning_state(nlohmann::json const& body) {
  return detail::string_at(body, {"properties", "provisioningState"});
}

bool is_failure(std::string_view status) {
  return same_status(status, "Failed") || same_status(status, "Canceled");
}

bool is_terminal(std::string_view status) {
  return same_status(status, "Succeeded") || is_failure(status);
}

[[noreturn]] void throw_operation_failed(std::string const& endpoint,
                                         std::string const& resource_path,
                                         ArmResponse const& answer,
                                         std::string const& status,
                                         std::string code,
                                         std::string message) {
  http::ServiceFault fault;
  fault.status = answer.status;
  fault.code = code.empty() ? status : std::move(code);
  fault.message = message.empty() ? "the operation ended " + status : std::move(message);
  fault.request_id = answer.headers.get("x-ms-request-id").value_or("");
  fault.url = endpoint + resource_path;
  auto sentence = "Azure reported that the operation on " + resource_path + " ended " + status +
                  " (" + fault.code + "): " + explain_arm_fault(fault);
  if (!fault.request_id.empty()) {
    sentence += " (request id " + fault.request_id + ")";
  }
  throw http::ServiceError(sentence + ".", std::move(fault));
}

} // namespace

LongRunningOperation::LongRunningOperation(ArmClient const& arm,
                                           std::shared_ptr<core::Clock> clock,
                                           LroOptions options)
    : m_arm(arm), m_clock(std::move(clock)), m_options(options) {}

void LongRunningOperation::wait(ArmResponse const& initial,
                                std::string const& resource_path,
                                std::string_view api_version,
                                ProgressCallback const& progress) const {
  detail::PollSchedule schedule{*m_clock, m_options};
  auto const what = "the operation on " + resource_path;
  auto const report = [&](std::string_view status) {
    if (progress) {
      progress(status, schedule.elapsed());
    }
  };

  if (auto const monitor = initial.headers.get("Azure-AsyncOperation")) {
    auto last = initial;
    std::string status = "InProgress";
    int missing = 0;
    for (;;) {
      schedule.wait(last.headers, what, status);
      try {
        last = m_arm.get_url(*monitor);
        missing = 0;
      } catch (http::ServiceError const& error) {
        // A status URL may answer 404 until the operation has replicated to the region that
        // serves it. Ask again a few times; if it stays missing, the resource's own
        // provisioningState tells the end (below) rather than failing a running update.
        if (error.fault().status != 404) {
          throw;
        }
        if (++missing > k_missing_status_polls) {
          report("status URL not found; watching the resource");
          break;
        }
        report("status URL not found yet");
        continue;
      }
      status = detail::string_at(last.body, {"status"});
      if (status.empty()) {
        status = "Unknown"; // not terminal: keep polling until a real status or the deadline
      }
      report(status);
      if (same_status(status, "Succeeded")) {
        return;
      }
      if (is_failure(status)) {
        throw_operation_failed(m_arm.endpoint(),
                               resource_path,
                               last,
                               status,
                               detail::string_at(last.body, {"error", "code"}),
                               detail::string_at(last.body, {"error", "message"}));
      }
    }
  }

  if (auto location = initial.headers.get("Location")) {
    auto last = initial;
    for (;;) {
      schedule.wait(last.headers, what, "InProgress");
      // A non-2xx answer here is the operation's failure; get_url throws it with its envelope.
      last = m_arm.get_url(*location);
      if (last.status != 202) {
        report("Succeeded");
        return;
      }
      report("InProgress");
      location = last.headers.get("Location").value_or(*location);
    }
  }

  auto last = initial;
  auto status = provisioning_state(initial.body);
  // Without a monitor, 200/201 with no provisioningState is a synchronous answer.
  while (!is_terminal(status) && !(status.empty() && last.status != 202)) {
    schedule.wait(last.headers, what, status.empty() ? "Accepted" : status);
    last = m_arm.send(http::Method::Get, resource_path, api_version, std::nullopt);
    status = provisioning_state(last.body);
    report(status.empty() ? "Succeeded" : status);
  }
  if (is_failure(status)) {
    throw_operation_failed(m_arm.endpoint(),
                           resource_path,
                           last,
                           status,
                           {},
                           "the resource's provisioningState is " + status);
  }
}

} // namespace wisetup::azure
