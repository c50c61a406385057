#include "vmoodle/cli/console_reporter.hpp"

#include <unistd.h>

#include <fmt/format.h>

namespace vmoodle::cli {

ConsoleReporter::ConsoleReporter() : m_tty(isatty(STDERR_FILENO) == 1) {}

void ConsoleReporter::clear_progress() {
  if (m_progress_shown) {
    fmt::print(stderr, "\r\033[K");
    m_progress_shown = false;
  }
}

void ConsoleReporter::step_done(const std::string& host, const std::string& step,
                                std::int64_t elapsed_ms) {
  clear_progress();
  fmt::print("{}: {} done ({:.1f}s)\n", host, step, static_cast<double>(elapsed_ms) / 1000.0);
  std::fflush(stdout);
}

void ConsoleReporter::progress(const std::string& host, const std::string& step,
                               const std::string& detail) {
  if (!m_tty) {
    return;
  }
  fmt::print(stderr, "\r\033[K{}: {}: {}", host, step, detail);
  m_progress_shown = true;
}

void ConsoleReporter::step_failed(const std::string& host, const std::string& step,
                                  const std::string& /*error*/) {
  clear_progress();
  // The error itself is printed once, in the apply summary.
  fmt::print("{}: {} FAILED\n", host, step);
  std::fflush(stdout);
}

} // namespace vmoodle::cli
