#include "integration/support/run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace vmoodle::testing {

namespace {

void close_fd(int& fd) {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

// The environment block for the child, built before fork(): after it, in a
// multi-threaded parent, only async-signal-safe calls are allowed.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& env_extra) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text = *entry;
    auto name = text.substr(0, text.find('='));
    if (env_extra.count(name) == 0) {
      entries.push_back(std::move(text));
    }
  }
  for (const auto& [name, value] : env_extra) {
    entries.push_back(name + "=" + value);
  }
  return entries;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& text : strings) {
    out.push_back(text.data());
  }
  out.push_back(nullptr);
  return out;
}

} // namespace

RunResult run_command(const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env_extra,
                      const std::string& stdin_text) {
  if (argv.empty()) {
    throw std::invalid_argument("run_command: empty argv");
  }
  std::vector<std::string> args = argv;
  std::vector<std::string> env = child_environment(env_extra);
  std::vector<char*> arg_ptrs = pointers(args);
  std::vector<char*> env_ptrs = pointers(env);

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("run_command: pipe: ") + std::strerror(errno));
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    throw std::runtime_error(std::string("run_command: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    // The parent ignores SIGPIPE (see below); the child must get the default back.
    ::signal(SIGPIPE, SIG_DFL);
    ::execvpe(arg_ptrs[0], arg_ptrs.data(), env_ptrs.data());
    const char* reason = std::strerror(errno);
    const char prefix[] = "run_command: cannot execute ";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, prefix, sizeof prefix - 1);
    ignored = ::write(STDERR_FILENO, arg_ptrs[0], std::strlen(arg_ptrs[0]));
    ignored = ::write(STDERR_FILENO, ": ", 2);
    ignored = ::write(STDERR_FILENO, reason, std::strlen(reason));
    ::_exit(127);
  }
  // A child that exits without reading its input must not kill us with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  int in_fd = in_pipe[1];
  int out_fd = out_pipe[0];
  int err_fd = err_pipe[0];
  std::size_t written = 0;
  if (stdin_text.empty()) {
    close_fd(in_fd);
  } else {
    ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }

  RunResult result;
  char buffer[65536];
  while (out_fd >= 0 || err_fd >= 0 || in_fd >= 0) {
    pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw std::runtime_error(std::string("run_command: poll: ") + std::strerror(errno));
    }
    for (int i = 0; i < 2; ++i) {
      int& fd = i == 0 ? out_fd : err_fd;
      std::string& sink = i == 0 ? result.out : result.err;
      if (fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        ssize_t count = ::read(fd, buffer, sizeof buffer);
        if (count > 0) {
          sink.append(buffer, static_cast<std::size_t>(count));
        } else if (count == 0 || errno != EINTR) {
          close_fd(fd);
        }
      }
    }
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      ssize_t count = ::write(in_fd, stdin_text.data() + written, stdin_text.size() - written);
      if (count > 0) {
        written += static_cast<std::size_t>(count);
      }
      if (written == stdin_text.size() || (count < 0 && errno != EAGAIN && errno != EINTR)) {
        close_fd(in_fd);
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw std::runtime_error(std::string("run_command: waitpid: ") + std::strerror(errno));
    }
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

} // namespace vmoodle::testing
