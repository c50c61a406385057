// The POSIX process runner against real processes: exit codes, signals, timeouts that
// stop a whole process group, the output cap, and no shell between argv and exec.
#include "vmoodle/platform/posix_process_runner.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include <gtest/gtest.h>

namespace vmoodle::platform {
namespace {

using Clock = std::chrono::steady_clock;

// Gone, or a zombie waiting for a parent that may never reap it (PID 1 in a container).
bool is_gone(pid_t pid) {
  if (::kill(pid, 0) != 0) {
    return true;
  }
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z';
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

ProcessResult run_ok(ProcessRunner& runner, const std::vector<std::string>& argv, int timeout) {
  auto result = runner.run(argv, timeout);
  EXPECT_TRUE(result) << result.error().render();
  return result ? *result : ProcessResult{};
}

TEST(PosixProcessRunner, ReportsExitStatusAndBothOutputs) {
  PosixProcessRunner runner;
  auto ok = run_ok(runner, {"sh", "-c", "echo out; echo err >&2"}, 10);
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.signal, 0);
  EXPECT_FALSE(ok.timed_out);
  EXPECT_EQ(ok.output, "out\nerr\n");
  EXPECT_EQ(run_ok(runner, {"sh", "-c", "exit 7"}, 10).exit_code, 7);
  auto killed = run_ok(runner, {"sh", "-c", "kill -9 $$"}, 10);
  EXPECT_EQ(killed.signal, SIGKILL);
  EXPECT_EQ(killed.exit_code, -1);
}

TEST(PosixProcessRunner, PassesArgumentsWithoutAShell) {
  PosixProcessRunner runner;
  auto result =
      run_ok(runner, {"printf", "%s|", "a;b", "$(echo injected)", "`id`", "x y", "*"}, 10);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, "a;b|$(echo injected)|`id`|x y|*|");
}

TEST(PosixProcessRunner, StandardInputIsEmpty) {
  PosixProcessRunner runner;
  const auto start = Clock::now();
  auto result = run_ok(runner, {"cat"}, 10);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, "");
  EXPECT_LT(seconds_since(start), 5.0);
}

TEST(PosixProcessRunner, AMissingProgramIsAnError) {
  PosixProcessRunner runner;
  auto result = runner.run({"vmoodle-no-such-program"}, 10);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("not found on PATH"), std::string::npos);
  auto absolute = runner.run({"/nonexistent/dir/program"}, 10);
  ASSERT_FALSE(absolute);
  EXPECT_NE(absolute.error().message.find("cannot start"), std::string::npos);
}

TEST(PosixProcessRunner, KeepsTheLastBytesOfLongOutput) {
  PosixProcessRunner runner(5000, 1024);
  auto result =
      run_ok(runner, {"sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x; echo; echo END"}, 30);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(result.output.size(), 1024u);
  EXPECT_EQ(result.output.substr(result.output.size() - 4), "END\n");
}

TEST(PosixProcessRunner, ATimeoutStopsTheCommand) {
  PosixProcessRunner runner(2000);
  const auto start = Clock::now();
  auto result = run_ok(runner, {"sleep", "30"}, 1);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_LT(seconds_since(start), 5.0);
}

TEST(PosixProcessRunner, ACommandIgnoringSigtermIsKilledWithItsChildren) {
  const std::string pid_file =
      (std::filesystem::temp_directory_path() / ("vmoodle-runner-" + std::to_string(getpid())))
          .string();
  PosixProcessRunner runner(500);
  const auto start = Clock::now();
  auto result = run_ok(
      runner, {"sh", "-c", "trap '' TERM; sleep 60 & echo $! > \"$1\"; wait; wait", "sh", pid_file},
      1);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_LT(seconds_since(start), 6.0);
  std::ifstream in(pid_file);
  pid_t child = 0;
  in >> child;
  std::filesystem::remove(pid_file);
  ASSERT_GT(child, 0);
  // The grandchild was in the group: it is gone too (reaped by init shortly after).
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {
    gone = is_gone(child);
    if (!gone) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_TRUE(gone) << "process " << child << " outlived the timeout";
}

TEST(PosixProcessRunner, ABackgroundProcessHoldingThePipeDoesNotBlock) {
  PosixProcessRunner runner;
  const auto start = Clock::now();
  auto result = run_ok(runner, {"sh", "-c", "sleep 3 & echo started"}, 20);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, "started\n");
  EXPECT_LT(seconds_since(start), 2.5);
}

TEST(FindProgram, SearchesPathLikeExecvp) {
  EXPECT_EQ(find_program("/bin/sh", ""), "/bin/sh");
  EXPECT_EQ(find_program("sh", "/nonexistent:/bin"), "/bin/sh");
  EXPECT_EQ(find_program("sh", "/nonexistent"), "");
  EXPECT_EQ(find_program("sh", ""), "") << "an empty PATH entry is not the current directory";
}

} // namespace
} // namespace vmoodle::platform
