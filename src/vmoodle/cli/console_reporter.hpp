#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "vmoodle/apply/reporter.hpp"

namespace vmoodle::cli {

/// One line per finished step (`host: step done (1.2s)`) on stdout; a live
/// progress line on stderr for long steps when stderr is a terminal. Thread-safe:
/// actions of several hosts report at once.
class ConsoleReporter : public apply::Reporter {
public:
  /// `crash_after` (`<vhostname>|<step>`, from VMOODLE_APPLY_CRASH_AFTER) makes the
  /// process SIGKILL itself right after that step reports done: fault injection for
  /// the crash-safety tests, empty in normal use.
  explicit ConsoleReporter(std::string crash_after = {});
  void step_done(const std::string& host, const std::string& step,
                 std::int64_t elapsed_ms) override;
  void progress(const std::string& host, const std::string& step,
                const std::string& detail) override;
  void step_failed(const std::string& host, const std::string& step,
                   const std::string& error) override;

private:
  void clear_progress();
  std::mutex m_mutex;
  bool m_tty = false;
  bool m_progress_shown = false;
  std::string m_crash_after;
};

} // namespace vmoodle::cli
