#include "integration/support/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace wisetup::integration {
namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& text : strings) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

int spawn(std::string const& program,
          std::vector<std::string> const& arguments,
          std::vector<std::string> environment,
          std::string const& out_file,
          std::string const& err_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(
      &actions, STDOUT_FILENO, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(
      &actions, STDERR_FILENO, err_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  auto argv_pointers = c_strings(argv);
  auto env_pointers = c_strings(environment);
  pid_t pid = 0;
  int const failed = posix_spawn(
      &pid, program.c_str(), &actions, nullptr, argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  if (failed != 0) {
    throw std::runtime_error("cannot start " + program);
  }
  return pid;
}

std::vector<std::string> base_environment() {
  std::vector<std::string> environment;
  // The sanitizers' settings too: a sanitizer build's children obey the same options (and
  // suppressions, scripts/lsan.supp) as the test program.
  for (char const* name : {"PATH",
                           "HOME",
                           "TMPDIR",
                           "ASAN_OPTIONS",
                           "LSAN_OPTIONS",
                           "UBSAN_OPTIONS",
                           "TSAN_OPTIONS"}) {
    if (char const* value = std::getenv(name)) { // NOLINT(concurrency-mt-unsafe)
      environment.push_back(std::string(name) + "=" + value);
    }
  }
  return environment;
}

int wait_for(int pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return -1;
    }
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

/// Merged by name, the test's values replacing inherited ones: getenv returns the first entry of
/// a name, so appending an override would not override.
std::vector<std::string> merged_environment(std::map<std::string, std::string> const& environment) {
  std::map<std::string, std::string> merged;
  for (auto const& entry : base_environment()) {
    auto const equals = entry.find('=');
    merged[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  for (auto const& [name, value] : environment) {
    merged[name] = value;
  }
  std::vector<std::string> environment_list;
  for (auto const& [name, value] : merged) {
    environment_list.push_back(name + "=" + value);
  }
  return environment_list;
}

} // namespace

ProcessResult run_process(std::string const& program,
                          std::vector<std::string> const& arguments,
                          std::map<std::string, std::string> const& environment) {
  BackgroundProcess process{program, arguments, environment};
  return process.wait();
}

BackgroundProcess::BackgroundProcess(std::string const& program,
                                     std::vector<std::string> const& arguments,
                                     std::map<std::string, std::string> const& environment)
    : m_dir(make_temp_dir("wisetup-run")), m_pid(spawn(program,
                                                       arguments,
                                                       merged_environment(environment),
                                                       m_dir + "/stdout",
                                                       m_dir + "/stderr")) {}

BackgroundProcess::~BackgroundProcess() {
  if (m_pid > 0) {
    kill(m_pid, SIGKILL);
    (void)wait_for(m_pid);
  }
  std::error_code ignored;
  std::filesystem::remove_all(m_dir, ignored);
}

void BackgroundProcess::send_signal(int signal) const {
  if (m_pid > 0) {
    kill(m_pid, signal);
  }
}

ProcessResult BackgroundProcess::wait() {
  ProcessResult result;
  result.exit_code = wait_for(m_pid);
  m_pid = -1;
  result.out = read_file(m_dir + "/stdout");
  result.err = read_file(m_dir + "/stderr");
  return result;
}

int start_process(std::string const& program,
                  std::vector<std::string> const& arguments,
                  std::string const& log_file) {
  return spawn(program, arguments, base_environment(), log_file, log_file);
}

int stop_process(int pid) {
  kill(pid, SIGTERM);
  return wait_for(pid);
}

std::string make_temp_dir(std::string const& prefix) {
  auto pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory");
  }
  return pattern;
}

std::string read_file(std::string const& path) {
  std::ifstream file{path};
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

void write_file(std::string const& path, std::string const& text) {
  std::ofstream file{path};
  file << text;
}

} // namespace wisetup::integration
