#pragma once

#include <memory>
#include <string>

#include <sys/types.h>

#include "vmoodle/db/connection.hpp"
#include "vmoodle/model/fleet.hpp"

namespace vmoodle::testing {

/// The environment variable that carries the sandbox password to child processes
/// (the CLI under test resolves `{env: VMOODLE_SANDBOX_PASSWORD}`).
inline constexpr const char* k_sandbox_password_env = "VMOODLE_SANDBOX_PASSWORD";
/// The account every sandbox creates, with all privileges.
inline constexpr const char* k_sandbox_user = "vmoodle_admin";

/// The password of every sandbox in this process: `VMOODLE_SANDBOX_PASSWORD` when set,
/// else a random one, which is then exported to the environment.
std::string sandbox_password();

/// A private MariaDB server for tests, started by `scripts/mariadb-sandbox.sh` in a
/// new temporary directory. Several can run at once. It is stopped and its directory
/// deleted by `stop()` or the destructor, and also by a watchdog process if this
/// process dies first (crash, abort, SIGKILL).
class MariadbSandbox {
public:
  /// Starts the server; throws std::runtime_error with the script's output on failure.
  /// With `tls_dir`, the server offers TLS with the `ca.pem`, `server-cert.pem` and
  /// `server-key.pem` found there.
  explicit MariadbSandbox(const std::string& tls_dir = "");
  ~MariadbSandbox();
  MariadbSandbox(const MariadbSandbox&) = delete;
  MariadbSandbox& operator=(const MariadbSandbox&) = delete;

  /// Stops the server and deletes its directory; later calls do nothing.
  void stop();

  /// Shuts the server down cleanly (every session is cut) and starts it again on the
  /// same data, socket and port: a database server restarted during an apply. Throws
  /// std::runtime_error when it does not come back.
  void restart();

  /// A manifest server reaching this sandbox through its socket, as `vmoodle_admin`
  /// with password `{env: VMOODLE_SANDBOX_PASSWORD}`.
  model::Server server(std::string name = "sandbox") const;
  /// The same over TCP (`127.0.0.1` and `port()`).
  model::Server tcp_server(std::string name = "sandbox") const;
  /// A session as `vmoodle_admin` with `database` selected when not empty; throws
  /// std::runtime_error with the rendered error when the connection fails.
  std::unique_ptr<db::Connection> connect(std::string database = "") const;

  std::string password() const { return m_password; }
  /// Absolute path of the Unix socket.
  std::string socket() const { return m_socket; }
  unsigned port() const { return m_port; }
  /// The sandbox's own directory (data, logs, socket).
  std::string directory() const { return m_dir; }

private:
  void start_watchdog();

  std::string m_dir;
  std::string m_socket;
  unsigned m_port = 0;
  std::string m_password;
  int m_watchdog_fd = -1;
  pid_t m_watchdog_pid = -1;
};

/// The sandbox shared by all tests of the binary, started on first use and stopped
/// when the tests end (integration/support/main.cpp). Throws std::runtime_error when
/// it could not be started.
MariadbSandbox& shared_sandbox();

/// `scripts/mariadb-sandbox.sh` in the source tree.
std::string sandbox_script();

} // namespace vmoodle::testing
