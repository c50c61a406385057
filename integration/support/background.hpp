#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "integration/support/run.hpp"

namespace vmoodle::testing {

/// A child process left running while the test does something to it or around it
/// (kills it, kills its database connection, restarts its server): the fault
/// injection tests. stdout and stderr go to one temporary file, read by wait().
/// The destructor SIGKILLs and reaps a child still running.
class BackgroundCommand {
public:
  /// Starts `argv` (searched on PATH) with the current environment plus `env_extra`;
  /// throws std::runtime_error when it cannot.
  BackgroundCommand(const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& env_extra = {});
  ~BackgroundCommand();
  BackgroundCommand(const BackgroundCommand&) = delete;
  BackgroundCommand& operator=(const BackgroundCommand&) = delete;

  pid_t pid() const { return m_pid; }
  /// Whether the child is still running (not yet exited or reaped).
  bool running();
  /// Sends `signal` to the child.
  void signal(int signal);
  /// Waits for the child; `out` holds stdout and stderr interleaved, `err` is empty.
  RunResult wait();

private:
  pid_t m_pid = -1;
  int m_status = 0;
  bool m_reaped = false;
  std::string m_output_path;
};

} // namespace vmoodle::testing
