#pragma once

#include <functional>
#include <string>
#include <vector>

namespace vmoodle::bench {

/// What one timed child process did.
struct Measure {
  double seconds = 0;  ///< wall-clock time from fork to reaping
  long max_rss_kb = 0; ///< the child's peak resident set (wait4's ru_maxrss)
  int exit_code = -1;  ///< exit status, or 128 + signal
  std::string out;     ///< stdout, unless it was sent to a file
  std::string err;     ///< stderr
  bool ok() const { return exit_code == 0; }
};

/// Runs `argv` (searched on PATH, no shell) with the current environment, stdin from
/// `stdin_path` (empty: /dev/null) and stdout into `stdout_path` (empty: kept in
/// `out`), and times it. Output goes through files, so a large one cannot block it.
Measure measure(const std::vector<std::string>& argv, const std::string& stdin_path = "",
                const std::string& stdout_path = "");

/// Runs `body` in a forked child (its return value is the exit code) and times it: a
/// library call measured like a program, peak memory included. Call it only while this
/// process has one thread.
Measure measure_in_child(const std::function<int()>& body);

/// Whether `program` is found on PATH.
bool on_path(const std::string& program);

/// Throws std::runtime_error naming `what` with the child's stderr when it failed.
const Measure& require_ok(const Measure& m, const std::string& what);

/// `1.23 s`, `45 ms`.
std::string seconds_text(double seconds);

} // namespace vmoodle::bench
