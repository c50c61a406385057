#pragma once

#include "vmoodle/platform/process_runner.hpp"

namespace vmoodle::platform {

/// ProcessRunner on posix_spawn. The child leads a process group of its own, so that
/// a timeout stops everything it started: SIGTERM to the group, then SIGKILL after
/// `kill_grace_ms`. Standard output and error share one pipe, of which the last
/// `max_output` bytes are kept. Descriptors of the parent (database sockets) are not
/// inherited.
class PosixProcessRunner : public ProcessRunner {
public:
  static constexpr std::size_t k_default_max_output = std::size_t{64} * 1024;

  explicit PosixProcessRunner(int kill_grace_ms = 5000,
                              std::size_t max_output = k_default_max_output)
      : m_kill_grace_ms(kill_grace_ms), m_max_output(max_output) {}

  Result<ProcessResult> run(const std::vector<std::string>& argv, int timeout_seconds) override;

private:
  int m_kill_grace_ms;
  std::size_t m_max_output;
};

/// `name` searched on `path_variable` (a PATH value) the way execvp does: the first
/// directory holding an executable regular file of that name. `name` containing a `/`
/// is returned as is. Empty when nothing is found.
std::string find_program(const std::string& name, const std::string& path_variable);

} // namespace vmoodle::platform
