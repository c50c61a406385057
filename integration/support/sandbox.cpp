#include "integration/support/sandbox.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>

#include "integration/support/run.hpp"
#include "vmoodle/db/mysql_connector.hpp"

namespace vmoodle::testing {

namespace {

// Long enough to be unguessable and distinctive enough to grep for in output
// that must not contain it.
std::string random_password() {
  std::random_device device;
  std::uniform_int_distribution<int> digit(0, 15);
  std::string out = "vmoodle-sb-";
  for (int i = 0; i < 20; ++i) {
    out += "0123456789abcdef"[digit(device)];
  }
  return out;
}

// mkdtemp under TMPDIR when it leaves room for the socket path, else /tmp.
std::string make_directory() {
  std::string base = "/tmp";
  if (const char* tmpdir = std::getenv("TMPDIR");
      tmpdir != nullptr && *tmpdir == '/' && std::strlen(tmpdir) < 60) {
    base = tmpdir;
  }
  std::string pattern = base + "/vmoodle-sb-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a sandbox directory under " + base + ": " +
                             std::strerror(errno));
  }
  return pattern;
}

} // namespace

std::string sandbox_script() {
  return std::string(VMOODLE_SOURCE_DIR) + "/scripts/mariadb-sandbox.sh";
}

std::string sandbox_password() {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  if (const char* value = std::getenv(k_sandbox_password_env); value != nullptr && *value != '\0') {
    return value;
  }
  std::string password = random_password();
  ::setenv(k_sandbox_password_env, password.c_str(), 1);
  return password;
}

MariadbSandbox::MariadbSandbox(const std::string& tls_dir)
    : m_dir(make_directory()), m_password(sandbox_password()) {
  start_watchdog();
  // An exported VMOODLE_SANDBOX_PORT would give every sandbox the same port.
  RunResult started = run_command({"bash", sandbox_script(), "start", m_dir},
                                  {{k_sandbox_password_env, m_password},
                                   {"VMOODLE_SANDBOX_PORT", ""},
                                   {"VMOODLE_SANDBOX_TLS_DIR", tls_dir}});
  std::istringstream lines(started.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("socket=")) {
      m_socket = line.substr(7);
    } else if (line.starts_with("port=")) {
      m_port = static_cast<unsigned>(std::stoul(line.substr(5)));
    }
  }
  if (started.exit_code != 0 || m_socket.empty() || m_port == 0) {
    std::string dir = m_dir;
    stop();
    throw std::runtime_error("cannot start a MariaDB sandbox in " + dir + " (exit " +
                             std::to_string(started.exit_code) + "):\n" + started.err +
                             started.out);
  }
}

MariadbSandbox::~MariadbSandbox() {
  stop();
}

void MariadbSandbox::start_watchdog() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("cannot create the watchdog pipe: ") +
                             std::strerror(errno));
  }
  // It blocks reading the pipe until every write end is closed, which happens when
  // this process exits however it exits, then stops the server and removes the
  // directory. Arguments are prepared before fork() (no allocation after it).
  std::string bash = "bash";
  std::string flag = "-c";
  std::string code = "cat >/dev/null; bash \"$0\" stop \"$1\"; rm -rf -- \"$1\"";
  std::string script = sandbox_script();
  std::string dir = m_dir;
  char* argv[] = {bash.data(), flag.data(), code.data(), script.data(), dir.data(), nullptr};
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("cannot fork the watchdog: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Its own session: a Ctrl-C meant for the tests must not kill the cleanup.
    ::setsid();
    int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(fds[0], STDIN_FILENO);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(null_fd, STDERR_FILENO);
    ::execvp("bash", argv);
    ::_exit(127);
  }
  ::close(fds[0]);
  m_watchdog_fd = fds[1];
  m_watchdog_pid = pid;
}

void MariadbSandbox::stop() {
  if (!m_dir.empty()) {
    run_command({"bash", sandbox_script(), "stop", m_dir});
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
    m_dir.clear();
  }
  if (m_watchdog_fd >= 0) {
    ::close(m_watchdog_fd);
    m_watchdog_fd = -1;
    // Nothing left for it to do; reap it so that no zombie stays behind.
    ::waitpid(m_watchdog_pid, nullptr, 0);
    m_watchdog_pid = -1;
  }
}

void MariadbSandbox::restart() {
  if (m_dir.empty()) {
    throw std::runtime_error("restart: the sandbox is stopped");
  }
  run_command({"bash", sandbox_script(), "stop", m_dir});
  RunResult started = run_command(
      {"bash", sandbox_script(), "start", m_dir},
      {{k_sandbox_password_env, m_password}, {"VMOODLE_SANDBOX_PORT", std::to_string(m_port)}});
  if (started.exit_code != 0) {
    throw std::runtime_error("cannot restart the MariaDB sandbox in " + m_dir + " (exit " +
                             std::to_string(started.exit_code) + "):\n" + started.err +
                             started.out);
  }
}

model::Server MariadbSandbox::server(std::string name) const {
  model::Server server;
  server.name = std::move(name);
  server.socket = m_socket;
  server.port = m_port;
  server.user = k_sandbox_user;
  server.password = model::SecretRef{model::SecretRef::Source::env, k_sandbox_password_env, {}};
  server.registry_host = "localhost";
  return server;
}

model::Server MariadbSandbox::tcp_server(std::string name) const {
  model::Server server = this->server(std::move(name));
  server.socket.clear();
  server.host = "127.0.0.1";
  server.registry_host = "127.0.0.1";
  return server;
}

std::unique_ptr<db::Connection> MariadbSandbox::connect(std::string database) const {
  db::MysqlConnector connector;
  auto connection = connector.connect(server(), Secret(m_password), database);
  if (!connection) {
    throw std::runtime_error("cannot connect to the sandbox: " + connection.error().render());
  }
  return std::move(*connection);
}

} // namespace vmoodle::testing
