#pragma once

#include <wisetup/core/error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace wisetup::core {

/// Why a run was asked to stop early: a signal or the whole run's deadline.
struct StopReason {
  ExitCode code = ExitCode::Interrupted;
  std::string message; ///< "interrupted by SIGINT", "the run did not finish within --timeout 30"
};

/// Thrown by a wait (a sleep, a poll, a request in flight) once a stop was requested.
class Stopped : public Error {
public:
  explicit Stopped(StopReason const& reason) : Error(reason.message, reason.code) {}
};

/// The process-wide request to stop: set once (by the signal watcher or the deadline), read by
/// every wait so that sleeps, polls and requests in flight end within a fraction of a second.
namespace stop_request {

/// Records the first reason and wakes every waiter; later calls keep the first reason.
void request(StopReason reason);
/// The reason, once a stop was requested.
[[nodiscard]] std::optional<StopReason> reason();
/// Throws Stopped when a stop was requested.
void throw_if_requested();
/// Sleeps for `duration` or until a stop is requested; then throws Stopped.
void sleep_for(std::chrono::milliseconds duration);
/// The whole run's deadline (--timeout): once it passes, the signal watcher requests a stop with
/// ExitCode::Timeout and `message`.
void set_deadline(std::chrono::steady_clock::time_point deadline, std::string message);
/// The deadline and its message, if one was set.
[[nodiscard]] std::optional<std::pair<std::chrono::steady_clock::time_point, std::string>>
deadline();
/// Forgets any request (tests).
void reset_for_tests();

} // namespace stop_request

} // namespace wisetup::core
