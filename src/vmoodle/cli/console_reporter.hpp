#pragma once

#include <cstdio>

#include "vmoodle/apply/reporter.hpp"

namespace vmoodle::cli {

/// One line per finished step (`host: step (1.2s)`) on stdout; a live progress
/// line on stderr for long steps when stderr is a terminal.
class ConsoleReporter : public apply::Reporter {
public:
  ConsoleReporter();
  void step_done(const std::string& host, const std::string& step,
                 std::int64_t elapsed_ms) override;
  void progress(const std::string& host, const std::string& step,
                const std::string& detail) override;
  void step_failed(const std::string& host, const std::string& step,
                   const std::string& error) override;

private:
  void clear_progress();
  bool m_tty = false;
  bool m_progress_shown = false;
};

} // namespace vmoodle::cli
