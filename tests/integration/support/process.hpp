#pragma once

#include <map>
#include <string>
#include <vector>

namespace wisetup::integration {

/// What a finished process left behind.
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `program` with `arguments` and exactly the variables in `environment` (plus PATH), stdin
/// from /dev/null, and waits for it.
[[nodiscard]] ProcessResult run_process(std::string const& program,
                                        std::vector<std::string> const& arguments,
                                        std::map<std::string, std::string> const& environment);

/// A process started in the background, with exactly the variables in `environment` (plus PATH,
/// HOME, TMPDIR, merged by name) and stdin from /dev/null; its output is kept until wait().
class BackgroundProcess {
public:
  BackgroundProcess(std::string const& program,
                    std::vector<std::string> const& arguments,
                    std::map<std::string, std::string> const& environment);
  ~BackgroundProcess();
  BackgroundProcess(BackgroundProcess const&) = delete;
  BackgroundProcess& operator=(BackgroundProcess const&) = delete;
  void send_signal(int signal) const;
  /// Waits for the end; the exit code is 128 + N for a process killed by signal N.
  ProcessResult wait();

private:
  std::string m_dir;
  int m_pid = -1;
};

/// Starts `program` in the background with stdout and stderr sent to `log_file`; returns its pid.
[[nodiscard]] int start_process(std::string const& program,
                                std::vector<std::string> const& arguments,
                                std::string const& log_file);

/// Sends SIGTERM and waits; returns the exit status (or -1).
int stop_process(int pid);

/// A fresh directory under the system temp folder.
[[nodiscard]] std::string make_temp_dir(std::string const& prefix);

[[nodiscard]] std::string read_file(std::string const& path);
void write_file(std::string const& path, std::string const& text);

} // namespace wisetup::integration
