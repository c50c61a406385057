#include "vmoodle/platform/posix_process_runner.hpp"

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace vmoodle::platform {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* k_default_path = "/usr/local/bin:/usr/bin:/bin";
// How often a child that keeps its pipe quiet is checked for having exited.
constexpr int k_poll_ms = 50;

bool is_executable_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

/// The output kept so far: its last `max` bytes.
class OutputTail {
public:
  explicit OutputTail(std::size_t max) : m_max(max) {}
  void append(const char* data, std::size_t size) {
    m_text.append(data, size);
    // Trim in batches, not on every read.
    if (m_text.size() > 2 * m_max) {
      trim();
    }
  }
  void finish(ProcessResult& result) {
    trim();
    result.output = std::move(m_text);
    result.truncated = m_truncated;
  }

private:
  void trim() {
    if (m_text.size() > m_max) {
      m_text.erase(0, m_text.size() - m_max);
      m_truncated = true;
    }
  }
  std::size_t m_max;
  std::string m_text;
  bool m_truncated = false;
};

/// Reads what is available without blocking; false at end of file or on error.
bool read_available(int fd, OutputTail& tail) {
  char buffer[16384];
  // Bounded: a grandchild that keeps writing must not keep us here.
  for (int i = 0; i < 64; ++i) {
    const ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count > 0) {
      tail.append(buffer, static_cast<std::size_t>(count));
      continue;
    }
    if (count < 0 && errno == EINTR) {
      continue;
    }
    return count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  return true;
}

struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  SpawnSetup(int output_fd) {
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(&actions, output_fd, STDERR_FILENO);
    // Database sockets and other threads' pipes stay with us.
    ::posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    ::posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) {
      sigaddset(&defaults, sig);
    }
    ::posix_spawnattr_setsigdefault(&attr, &defaults);
    sigset_t none;
    sigemptyset(&none);
    ::posix_spawnattr_setsigmask(&attr, &none);
    ::posix_spawnattr_setpgroup(&attr, 0);
    ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                          POSIX_SPAWN_SETSIGMASK);
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

} // namespace

std::string find_program(const std::string& name, const std::string& path_variable) {
  if (name.find('/') != std::string::npos) {
    return name;
  }
  std::size_t start = 0;
  while (start <= path_variable.size()) {
    auto end = path_variable.find(':', start);
    if (end == std::string::npos) {
      end = path_variable.size();
    }
    std::string dir = path_variable.substr(start, end - start);
    // An empty PATH entry means the current directory: not searched, on purpose.
    if (!dir.empty()) {
      std::string candidate = dir + "/" + name;
      if (is_executable_file(candidate)) {
        return candidate;
      }
    }
    start = end + 1;
  }
  return "";
}

Result<ProcessResult> PosixProcessRunner::run(const std::vector<std::string>& argv,
                                              int timeout_seconds) {
  if (argv.empty() || argv.front().empty()) {
    return fail(ErrorKind::internal, "empty argument vector");
  }
  const char* path_env = std::getenv("PATH");
  const std::string program =
      find_program(argv.front(), path_env != nullptr ? path_env : k_default_path);
  if (program.empty()) {
    return fail(ErrorKind::io, "program `" + argv.front() + "` not found on PATH", "",
                "install it, or write its absolute path");
  }
  std::vector<std::string> args = argv;
  std::vector<char*> arg_ptrs;
  for (auto& arg : args) {
    arg_ptrs.push_back(arg.data());
  }
  arg_ptrs.push_back(nullptr);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return fail(ErrorKind::io, std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  pid_t pid = -1;
  int spawned = 0;
  {
    SpawnSetup setup(fds[1]);
    spawned =
        ::posix_spawn(&pid, program.c_str(), &setup.actions, &setup.attr, arg_ptrs.data(), environ);
  }
  ::close(fds[1]);
  if (spawned != 0) {
    ::close(fds[0]);
    return fail(ErrorKind::io, "cannot start `" + program + "`: " + std::strerror(spawned), "",
                "check that it exists and is executable");
  }
  int fd = fds[0];
  ::fcntl(fd, F_SETFL, O_NONBLOCK);

  ProcessResult result;
  OutputTail tail(m_max_output);
  const auto deadline = SteadyClock::now() + std::chrono::seconds(timeout_seconds);
  SteadyClock::time_point kill_at;
  bool killed = false;
  int status = 0;
  bool reaped = false;
  while (true) {
    const pid_t waited = ::waitpid(pid, &status, WNOHANG);
    if (waited == pid) {
      reaped = true;
      break;
    }
    if (waited < 0 && errno != EINTR) {
      break; // not our child any more (SIGCHLD ignored): how it ended is unknown
    }
    const auto now = SteadyClock::now();
    if (!result.timed_out && now >= deadline) {
      result.timed_out = true;
      ::kill(-pid, SIGTERM);
      kill_at = now + std::chrono::milliseconds(m_kill_grace_ms);
    } else if (result.timed_out && !killed && now >= kill_at) {
      ::kill(-pid, SIGKILL);
      killed = true;
    }
    if (fd >= 0) {
      pollfd watch{fd, POLLIN, 0};
      if (::poll(&watch, 1, k_poll_ms) > 0 && !read_available(fd, tail)) {
        ::close(fd);
        fd = -1;
      }
    } else {
      ::poll(nullptr, 0, k_poll_ms);
    }
  }
  if (result.timed_out) {
    // What the child started and left behind when it was stopped goes too.
    ::kill(-pid, SIGKILL);
  }
  if (fd >= 0) {
    // The child is gone; what it wrote is in the pipe. Do not wait for the end of
    // file: a background process it started may hold the pipe open.
    read_available(fd, tail);
    ::close(fd);
  }
  tail.finish(result);
  if (!reaped) {
    result.exit_code = -1;
  } else if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

} // namespace vmoodle::platform
