#include <wisetup/core/stop_request.hpp>

#include <condition_variable>
#include <mutex>

namespace wisetup::core::stop_request {
namespace {

struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<StopReason> reason;
  std::optional<std::pair<std::chrono::steady_clock::time_point, std::string>> deadline;
};

Shared& shared() {
  static Shared instance;
  return instance;
}

} // namespace

void request(StopReason reason) {
  auto& state = shared();
  {
    std::lock_guard const lock{state.mutex};
    if (!state.reason) {
      state.reason = std::move(reason);
    }
  }
  state.changed.notify_all();
}

std::optional<StopReason> reason() {
  auto& state = shared();
  std::lock_guard const lock{state.mutex};
  return state.reason;
}

void throw_if_requested() {
  if (auto stop = reason()) {
    throw Stopped(*stop);
  }
}

void sleep_for(std::chrono::milliseconds duration) {
  auto& state = shared();
  std::unique_lock lock{state.mutex};
  if (state.changed.wait_for(lock, duration, [&] { return state.reason.has_value(); })) {
    throw Stopped(*state.reason);
  }
}

void set_deadline(std::chrono::steady_clock::time_point deadline, std::string message) {
  auto& state = shared();
  std::lock_guard const lock{state.mutex};
  state.deadline.emplace(deadline, std::move(message));
}

std::optional<std::pair<std::chrono::steady_clock::time_point, std::string>> deadline() {
  auto& state = shared();
  std::lock_guard const lock{state.mutex};
  return state.deadline;
}

void reset_for_tests() {
  auto& state = shared();
  std::lock_guard const lock{state.mutex};
  state.reason.reset();
  state.deadline.reset();
}

} // namespace wisetup::core::stop_request
