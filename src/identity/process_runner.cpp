// The real ProcessRunner: posix_spawnp without a shell, both output pipes drained with poll() so a
// child that fills one pipe while we wait on the other cannot deadlock, SIGKILL at the timeout.
#include <wisetup/core/error.hpp>
#include <wisetup/identity/process_runner.hpp>

#include <array>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

extern char** environ; // the POSIX way to pass our environment on; unistd.h may not declare it

namespace wisetup::identity {
namespace {

std::string system_message(int code) {
  return std::system_category().message(code);
}

/// Closes a file descriptor when it goes out of scope.
class Fd {
public:
  Fd() = default;
  Fd(Fd const&) = delete;
  Fd& operator=(Fd const&) = delete;
  ~Fd() { reset(); }
  [[nodiscard]] int get() const { return m_fd; }
  void reset(int fd = -1) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = fd;
  }

private:
  int m_fd = -1;
};

/// A pipe whose ends are close-on-exec, so that no other child spawned at the same time (steps run
/// in parallel) inherits them; the spawn's dup2 gives the child its own copy without the flag.
struct Pipe {
  Fd read;
  Fd write;
};

void open_pipe(Pipe& pipe) {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
    throw core::Error("cannot create a pipe to run a program: " + system_message(errno));
  }
  pipe.read.reset(fds[0]);
  pipe.write.reset(fds[1]);
}

/// posix_spawn's attributes and file actions, destroyed on every path.
class SpawnSetup {
public:
  SpawnSetup() {
    ::posix_spawn_file_actions_init(&m_actions);
    ::posix_spawnattr_init(&m_attributes);
  }
  SpawnSetup(SpawnSetup const&) = delete;
  SpawnSetup& operator=(SpawnSetup const&) = delete;
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&m_actions);
    ::posix_spawnattr_destroy(&m_attributes);
  }
  posix_spawn_file_actions_t* actions() { return &m_actions; }
  posix_spawnattr_t* attributes() { return &m_attributes; }

private:
  posix_spawn_file_actions_t m_actions{};
  posix_spawnattr_t m_attributes{};
};

/// Waits for the child and returns its exit code (128 + signal when a signal ended it).
int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return -1;
    }
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return -1;
}

class PosixProcessRunner final : public ProcessRunner {
public:
  [[nodiscard]] ProcessOutput run(std::vector<std::string> const& argv,
                                  std::chrono::milliseconds timeout) const override {
    if (argv.empty() || argv.front().empty()) {
      throw core::Error("ProcessRunner::run needs a program name");
    }
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (auto const& arg : argv) {
      args.push_back(const_cast<char*>(arg.c_str())); // posix_spawn's signature, never written
    }
    args.push_back(nullptr);

    Pipe out;
    Pipe err;
    open_pipe(out);
    open_pipe(err);

    SpawnSetup setup;
    ::posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(setup.actions(), out.write.get(), STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(setup.actions(), err.write.get(), STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Whatever else is open here (sockets, files of other steps) is none of the child's business,
    // even where a library forgot close-on-exec.
    ::posix_spawn_file_actions_addclosefrom_np(setup.actions(), STDERR_FILENO + 1);
#endif
    // Its own process group, so that the timeout also kills what the program started (az is a
    // shell script that runs Python).
    ::posix_spawnattr_setpgroup(setup.attributes(), 0);
    // Default signal handling and no blocked signals in the child, whatever this process set up
    // (an ignored SIGPIPE would otherwise be inherited across exec).
    sigset_t signals;
    ::sigemptyset(&signals);
    ::posix_spawnattr_setsigmask(setup.attributes(), &signals);
    ::sigaddset(&signals, SIGPIPE);
    ::posix_spawnattr_setsigdefault(setup.attributes(), &signals);
    ::posix_spawnattr_setflags(
        setup.attributes(),
        static_cast<short>(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));

    pid_t pid = -1;
    int const spawned =
        ::posix_spawnp(&pid, args[0], setup.actions(), setup.attributes(), args.data(), environ);
    ProcessOutput output;
    if (spawned == ENOENT) {
      output.not_found = true;
      return output;
    }
    if (spawned != 0) {
      throw core::Error("cannot run " + argv.front() + ": " + system_message(spawned));
    }
    // Our copies of the write ends must go, or the reads below would never see end-of-file.
    out.write.reset();
    err.write.reset();

    try {
      output.timed_out = !drain(out.read, err.read, output, timeout);
    } catch (...) {
      ::kill(-pid, SIGKILL); // never leave a child running, nor a zombie behind
      (void)reap(pid);
      throw;
    }
    if (output.timed_out) {
      ::kill(-pid, SIGKILL);
    }
    output.exit_code = reap(pid);
    return output;
  }

private:
  /// Reads both pipes to end-of-file; false when the timeout came first.
  static bool
  drain(Fd const& out, Fd const& err, ProcessOutput& output, std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    std::array<pollfd, 2> fds{pollfd{out.get(), POLLIN, 0}, pollfd{err.get(), POLLIN, 0}};
    std::array<std::string*, 2> const sinks{&output.out, &output.err};
    std::array<char, 65536> buffer{};
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
      auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return false;
      }
      // poll() ignores negative descriptors, which marks a pipe that is done.
      int const ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
      if (ready < 0 && errno != EINTR) {
        throw core::Error("cannot read the output of a program: " + system_message(errno));
      }
      for (std::size_t i = 0; ready > 0 && i < fds.size(); ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) {
          continue;
        }
        auto const count = ::read(fds[i].fd, buffer.data(), buffer.size());
        if (count > 0) {
          sinks[i]->append(buffer.data(), static_cast<std::size_t>(count));
        } else if (count == 0 || (errno != EINTR && errno != EAGAIN)) {
          fds[i].fd = -1; // end of file (or a broken pipe): nothing more will come
        }
      }
    }
    return true;
  }
};

} // namespace

std::shared_ptr<ProcessRunner const> make_process_runner() {
  return std::make_shared<PosixProcessRunner>();
}

} // namespace wisetup::identity
