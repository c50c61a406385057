#include "integration/support/background.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace vmoodle::testing {

BackgroundCommand::BackgroundCommand(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& env_extra) {
  if (argv.empty()) {
    throw std::invalid_argument("BackgroundCommand: empty argv");
  }
  std::string pattern = "/tmp/vmoodle-bg-XXXXXX";
  const int out_fd = ::mkstemp(pattern.data());
  if (out_fd < 0) {
    throw std::runtime_error(std::string("BackgroundCommand: mkstemp: ") + std::strerror(errno));
  }
  m_output_path = pattern;
  // Everything the child needs is built before fork(): the parent has threads.
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text = *entry;
    if (env_extra.count(text.substr(0, text.find('='))) == 0) {
      env.push_back(std::move(text));
    }
  }
  for (const auto& [name, value] : env_extra) {
    env.push_back(name + "=" + value);
  }
  std::vector<std::string> args = argv;
  std::vector<char*> arg_ptrs;
  std::vector<char*> env_ptrs;
  for (auto& arg : args) {
    arg_ptrs.push_back(arg.data());
  }
  arg_ptrs.push_back(nullptr);
  for (auto& entry : env) {
    env_ptrs.push_back(entry.data());
  }
  env_ptrs.push_back(nullptr);

  m_pid = ::fork();
  if (m_pid < 0) {
    ::close(out_fd);
    throw std::runtime_error(std::string("BackgroundCommand: fork: ") + std::strerror(errno));
  }
  if (m_pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(out_fd, STDERR_FILENO);
    ::signal(SIGPIPE, SIG_DFL);
    ::execvpe(arg_ptrs[0], arg_ptrs.data(), env_ptrs.data());
    ::_exit(127);
  }
  ::close(out_fd);
}

BackgroundCommand::~BackgroundCommand() {
  if (m_pid > 0 && !m_reaped) {
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
  }
  if (!m_output_path.empty()) {
    ::unlink(m_output_path.c_str());
  }
}

bool BackgroundCommand::running() {
  if (m_reaped) {
    return false;
  }
  const pid_t done = ::waitpid(m_pid, &m_status, WNOHANG);
  if (done == m_pid) {
    m_reaped = true;
  }
  return !m_reaped;
}

void BackgroundCommand::signal(int signal) {
  if (!m_reaped) {
    ::kill(m_pid, signal);
  }
}

RunResult BackgroundCommand::wait() {
  while (!m_reaped) {
    if (::waitpid(m_pid, &m_status, 0) == m_pid) {
      m_reaped = true;
    } else if (errno != EINTR) {
      throw std::runtime_error(std::string("BackgroundCommand: waitpid: ") + std::strerror(errno));
    }
  }
  RunResult result;
  result.exit_code = WIFEXITED(m_status) ? WEXITSTATUS(m_status) : 128 + WTERMSIG(m_status);
  std::ifstream in(m_output_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  result.out = text.str();
  return result;
}

} // namespace vmoodle::testing
