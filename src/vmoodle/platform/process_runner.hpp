#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::platform {

/// How a finished (or stopped) child process ended.
struct ProcessResult {
  int exit_code = -1;     ///< the exit status; -1 when killed by a signal
  int signal = 0;         ///< the signal that ended it, 0 when it exited
  bool timed_out = false; ///< it outlived its timeout and was killed
  /// Its standard output and error, interleaved as written; only the last bytes when
  /// it wrote more than the runner keeps (`truncated` then says so).
  std::string output;
  bool truncated = false;
};

/// Runs programs: argument vectors, never a shell. Injectable so that the core stays
/// free of I/O and tests can script outcomes.
class ProcessRunner {
public:
  virtual ~ProcessRunner() = default;
  /// Runs `argv` (argv[0] absolute, or a bare name searched on PATH) with standard
  /// input from /dev/null, and waits for it at most `timeout_seconds`; then its whole
  /// process group is stopped. Fails only when the program cannot be started; how it
  /// ended, however badly, is a ProcessResult. Safe to call from several threads.
  virtual Result<ProcessResult> run(const std::vector<std::string>& argv, int timeout_seconds) = 0;
};

/// The runner of Effects built without one: every run fails, naming the omission. Lets code
/// that never runs hooks (most unit tests) leave the runner out.
inline ProcessRunner& unavailable_process_runner() {
  class Unavailable : public ProcessRunner {
  public:
    Result<ProcessResult> run(const std::vector<std::string>& argv, int) override {
      return fail(ErrorKind::internal,
                  "no process runner: cannot run `" + (argv.empty() ? "" : argv.front()) + "`", "",
                  "this is a bug in vmoodle-apply; please report it");
    }
  };
  static Unavailable runner;
  return runner;
}

} // namespace vmoodle::platform
