// Runs real, harmless local programs (/bin/echo, /bin/sh, /bin/sleep, /bin/cat): nothing here
// touches the network or `az`.
#include <wisetup/core/error.hpp>
#include <wisetup/identity/process_runner.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

namespace wisetup::identity {
namespace {

using namespace std::chrono_literals;

class ProcessRunnerTest : public ::testing::Test {
protected:
  std::shared_ptr<ProcessRunner const> m_runner = make_process_runner();
};

TEST_F(ProcessRunnerTest, CapturesStdoutAndTheExitCode) {
  auto const output = m_runner->run({"/bin/echo", "hello", "$HOME", "a b"}, 10s);
  // No shell: "$HOME" reaches the program as written.
  EXPECT_EQ(output.out, "hello $HOME a b\n");
  EXPECT_EQ(output.err, "");
  EXPECT_EQ(output.exit_code, 0);
  EXPECT_FALSE(output.timed_out);
  EXPECT_FALSE(output.not_found);
}

TEST_F(ProcessRunnerTest, LooksTheProgramUpOnPath) {
  auto const output = m_runner->run({"echo", "found"}, 10s);
  EXPECT_EQ(output.out, "found\n");
  EXPECT_EQ(output.exit_code, 0);
}

TEST_F(ProcessRunnerTest, CapturesStderrAndANonZeroExit) {
  auto const output = m_runner->run({"/bin/sh", "-c", "echo out; echo oops >&2; exit 3"}, 10s);
  EXPECT_EQ(output.out, "out\n");
  EXPECT_EQ(output.err, "oops\n");
  EXPECT_EQ(output.exit_code, 3);
}

TEST_F(ProcessRunnerTest, LargeOutputOnBothPipesDoesNotDeadlock) {
  // Far beyond a pipe's 64 KiB buffer, stderr first: reading only stdout would hang.
  auto const output = m_runner->run(
      {"/bin/sh", "-c", "head -c 1000000 /dev/zero >&2; head -c 700000 /dev/zero"}, 20s);
  EXPECT_FALSE(output.timed_out);
  EXPECT_EQ(output.err.size(), 1'000'000U);
  EXPECT_EQ(output.out.size(), 700'000U);
  EXPECT_EQ(output.exit_code, 0);
}

TEST_F(ProcessRunnerTest, StdinIsEmpty) {
  // cat would wait forever on an inherited terminal.
  auto const output = m_runner->run({"/bin/cat"}, 10s);
  EXPECT_FALSE(output.timed_out);
  EXPECT_EQ(output.out, "");
  EXPECT_EQ(output.exit_code, 0);
}

TEST_F(ProcessRunnerTest, KillsTheProgramAtTheTimeout) {
  auto const start = std::chrono::steady_clock::now();
  auto const output = m_runner->run({"/bin/sleep", "30"}, 200ms);
  auto const elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(output.timed_out);
  EXPECT_EQ(output.exit_code, 128 + 9); // SIGKILL
  EXPECT_LT(elapsed, 10s);
}

TEST_F(ProcessRunnerTest, KillsWhatTheProgramStartedToo) {
  // az is a shell script running Python: the timeout must reach the shell's children as well.
  auto const output = m_runner->run({"/bin/sh", "-c", "/bin/sleep 30 & echo $!; wait"}, 1s);
  EXPECT_TRUE(output.timed_out);
  ASSERT_FALSE(output.out.empty());
  auto const grandchild = static_cast<pid_t>(std::stoi(output.out));
  // A pidfd becomes readable when the process ends; it works for processes that are not ours.
  int const fd = static_cast<int>(::syscall(SYS_pidfd_open, grandchild, 0));
  if (fd < 0 && errno == ESRCH) {
    return; // already gone
  }
  if (fd < 0) {
    GTEST_SKIP() << "pidfd_open is not available here";
  }
  pollfd ended{fd, POLLIN, 0};
  int const ready = ::poll(&ended, 1, 5000);
  ::close(fd);
  if (ready != 1) {
    ::kill(grandchild, SIGKILL); // tidy up what this test started
  }
  EXPECT_EQ(ready, 1) << "the sleep started by the shell outlived the timeout";
}

TEST_F(ProcessRunnerTest, AMissingProgramIsNotFound) {
  auto const on_path = m_runner->run({"wisetup-no-such-program-7f3a"}, 10s);
  EXPECT_TRUE(on_path.not_found);
  EXPECT_FALSE(on_path.timed_out);
  auto const by_path = m_runner->run({"/nonexistent/wisetup-no-such-program"}, 10s);
  EXPECT_TRUE(by_path.not_found);
}

TEST_F(ProcessRunnerTest, AProgramThatCannotRunIsAnError) {
  EXPECT_THROW((void)m_runner->run({}, 1s), core::Error);
  // Exists, but is not executable: that is not "not installed".
  EXPECT_THROW((void)m_runner->run({"/etc/passwd"}, 1s), core::Error);
}

TEST_F(ProcessRunnerTest, TheChildInheritsNoOtherFileDescriptor) {
  // Opened without close-on-exec, as a careless library might.
  int const fd = ::open("/dev/null", O_RDONLY); // NOLINT(android-cloexec-open)
  ASSERT_GE(fd, 0);
  auto const probe = "if [ -e /proc/self/fd/" + std::to_string(fd) +
                     " ]; then echo inherited; else echo closed; fi";
  auto const output = m_runner->run({"/bin/sh", "-c", probe}, 10s);
  ::close(fd);
  EXPECT_EQ(output.out, "closed\n");
}

} // namespace
} // namespace wisetup::identity
