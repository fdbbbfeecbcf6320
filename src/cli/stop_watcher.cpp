#include <wisetup/cli/stop_watcher.hpp>
#include <wisetup/core/stop_request.hpp>

#include <csignal>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <unistd.h>

namespace wisetup::cli {
namespace {

sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

core::ExitCode code_of(int signal) {
  return signal == SIGTERM ? core::ExitCode::Terminated : core::ExitCode::Interrupted;
}

/// Ends the process at once: a stop that could not wind down in time, or a second Ctrl-C.
[[noreturn]] void end_now(core::ExitCode code, std::string const& why) {
  auto const line = "\nwi-setup: " + why +
                    "; stopped at once. Re-running the same command resumes: what was done is "
                    "found in place.\n";
  (void)!write(STDERR_FILENO, line.data(), line.size());
  _exit(static_cast<int>(code));
}

} // namespace

StopWatcher::StopWatcher(std::chrono::milliseconds grace) : m_grace(grace) {
  auto const signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  m_thread = std::thread([this] { watch(); });
}

StopWatcher::~StopWatcher() {
  m_done = true;
  if (m_thread.joinable()) {
    // Wake the watcher now rather than at its next tick: a finished run should not wait 0.1 s.
    pthread_kill(m_thread.native_handle(), SIGTERM);
    m_thread.join();
  }
}

void StopWatcher::watch() {
  auto const signals = stop_signals();
  std::optional<std::chrono::steady_clock::time_point> stop_since;
  constexpr long k_tick_ns = 100'000'000; // 0.1 s
  while (!m_done) {
    timespec const tick{0, k_tick_ns};
    int const signal = sigtimedwait(&signals, nullptr, &tick);
    if (m_done) {
      break; // the run is over (and this may be the destructor's own wake-up)
    }
    auto const now = std::chrono::steady_clock::now();
    if (signal == SIGINT || signal == SIGTERM) {
      auto const name = std::string(signal == SIGINT ? "SIGINT" : "SIGTERM");
      if (core::stop_request::reason()) {
        end_now(code_of(signal), "a second " + name + " arrived");
      }
      core::stop_request::request({code_of(signal), "interrupted by " + name});
    } else if (auto const deadline = core::stop_request::deadline();
               deadline && now >= deadline->first && !core::stop_request::reason()) {
      core::stop_request::request({core::ExitCode::Timeout, deadline->second});
    }
    if (auto const reason = core::stop_request::reason()) {
      if (!stop_since) {
        stop_since = now;
      } else if (now - *stop_since >= m_grace) {
        end_now(reason->code, reason->message + ", and the run did not wind down in time");
      }
    }
  }
}

} // namespace wisetup::cli
