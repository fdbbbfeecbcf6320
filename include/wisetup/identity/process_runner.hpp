#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace wisetup::identity {

/// What a finished child process left.
struct ProcessOutput {
  int exit_code = -1;
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
  [[nodiscard]] virtual ProcessOutput run(std::vector<std::string> const& argv,
                                          std::chrono::milliseconds timeout) const = 0;
};

/// The real runner: posix_spawnp, stdin from /dev/null, stdout and stderr captured, killed at the
/// timeout.
[[nodiscard]] std::shared_ptr<ProcessRunner const> make_process_runner();

} // namespace wisetup::identity
