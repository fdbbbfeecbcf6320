#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace wisetup::identity {

/// What a finished child process left.
struct ProcessOutput {
  int exit_code = -1; ///< the exit status; 128 + N when signal N ended it; -1 when not run
  std::string out;
  std::string err;
  bool not_found = false; ///< the program is not on PATH
  bool timed_out = false; ///< killed after the timeout
};

/// Runs programs without a shell (argv as given, so no value is ever interpreted), injected so
/// tests can script `az`.
class ProcessRunner {
public:
  virtual ~ProcessRunner() = default;
  /// Runs `argv[0]` (looked up on PATH) with the arguments `argv`, waits for it at most
  /// `timeout` and returns what it printed. A missing program is a value (`not_found`), not an
  /// exception. Throws core::Error when the program exists but cannot be started (for example
  /// it is not executable) or `argv` is empty.
  [[nodiscard]] virtual ProcessOutput run(std::vector<std::string> const& argv,
                                          std::chrono::milliseconds timeout) const = 0;
};

/// The real runner: posix_spawnp, stdin from /dev/null, stdout and stderr captured in full (both
/// read as they come, so a chatty program cannot block), the environment inherited. At the
/// timeout the program and everything it started in its process group get SIGKILL.
/// Thread-safe.
[[nodiscard]] std::shared_ptr<ProcessRunner const> make_process_runner();

} // namespace wisetup::identity
