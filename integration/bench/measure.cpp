#include "integration/bench/measure.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vmoodle::bench {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string temporary_file() {
  char pattern[] = "/tmp/vmoodle-bench-out-XXXXXX";
  int fd = ::mkstemp(pattern);
  if (fd < 0) {
    throw std::runtime_error(std::string("mkstemp: ") + std::strerror(errno));
  }
  ::close(fd);
  return pattern;
}

// Forks, lets `child` set up and exec (or run) in the child, and reaps it with wait4.
Measure timed_fork(const std::function<void()>& child) {
  const auto start = std::chrono::steady_clock::now();
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    child();
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      throw std::runtime_error(std::string("wait4: ") + std::strerror(errno));
    }
  }
  Measure m;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.max_rss_kb = usage.ru_maxrss;
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return m;
}

} // namespace

Measure measure(const std::vector<std::string>& argv, const std::string& stdin_path,
                const std::string& stdout_path) {
  if (argv.empty()) {
    throw std::invalid_argument("measure: empty argv");
  }
  const std::string out_path = stdout_path.empty() ? temporary_file() : stdout_path;
  const std::string err_path = temporary_file();
  std::vector<std::string> args = argv;
  std::vector<char*> pointers;
  for (auto& arg : args) {
    pointers.push_back(arg.data());
  }
  pointers.push_back(nullptr);
  const std::string in_path = stdin_path.empty() ? "/dev/null" : stdin_path;

  Measure m = timed_fork([&] {
    int in = ::open(in_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_TRUNC);
    if (in < 0 || out < 0 || err < 0) {
      ::_exit(126);
    }
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execvp(pointers[0], pointers.data());
    const char* reason = std::strerror(errno);
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, reason, std::strlen(reason));
  });
  if (stdout_path.empty()) {
    m.out = read_all(out_path);
    ::unlink(out_path.c_str());
  }
  m.err = read_all(err_path);
  ::unlink(err_path.c_str());
  return m;
}

Measure measure_in_child(const std::function<int()>& body) {
  return timed_fork([&] { ::_exit(body()); });
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

const Measure& require_ok(const Measure& m, const std::string& what) {
  if (!m.ok()) {
    throw std::runtime_error(what + " failed (exit " + std::to_string(m.exit_code) + "): " + m.err +
                             m.out.substr(0, 2000));
  }
  return m;
}

std::string seconds_text(double seconds) {
  char text[32];
  if (seconds < 1) {
    std::snprintf(text, sizeof text, "%.0f ms", seconds * 1000);
  } else {
    std::snprintf(text, sizeof text, "%.2f s", seconds);
  }
  return text;
}

} // namespace vmoodle::bench
