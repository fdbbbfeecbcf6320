#pragma once

#include <atomic>
#include <chrono>
#include <thread>

namespace wisetup::cli {

/// Turns SIGINT, SIGTERM and the --timeout deadline into a stop request (core::stop_request), so
/// that sleeps, polls and requests end and the run reports what it did. Create it first in main,
/// before any other thread: it blocks both signals in the threads created after it and waits for
/// them on its own thread.
/// - first signal: stop requested (exit 130 for SIGINT, 143 for SIGTERM);
/// - second signal, or no end within `grace` of the first: a last line, and the process ends.
class StopWatcher {
public:
  explicit StopWatcher(std::chrono::milliseconds grace = std::chrono::milliseconds{1800});
  ~StopWatcher();
  StopWatcher(StopWatcher const&) = delete;
  StopWatcher& operator=(StopWatcher const&) = delete;

private:
  void watch();

  std::chrono::milliseconds m_grace;
  std::atomic<bool> m_done{false};
  std::thread m_thread;
};

} // namespace wisetup::cli
