#include "vmoodle/cli/console_reporter.hpp"

#include <csignal>

#include <unistd.h>

#include <fmt/format.h>

namespace vmoodle::cli {

ConsoleReporter::ConsoleReporter(std::string crash_after)
    : m_tty(isatty(STDERR_FILENO) == 1), m_crash_after(std::move(crash_after)) {}

void ConsoleReporter::clear_progress() {
  if (m_progress_shown) {
    fmt::print(stderr, "\r\033[K");
    m_progress_shown = false;
  }
}

void ConsoleReporter::step_done(const std::string& host, const std::string& step,
                                std::int64_t elapsed_ms) {
  std::lock_guard lock(m_mutex);
  clear_progress();
  fmt::print("{}: {} done ({:.1f}s)\n", host, step, static_cast<double>(elapsed_ms) / 1000.0);
  std::fflush(stdout);
  if (!m_crash_after.empty() && m_crash_after == host + "|" + step) {
    std::raise(SIGKILL);
  }
}

void ConsoleReporter::progress(const std::string& host, const std::string& step,
                               const std::string& detail) {
  std::lock_guard lock(m_mutex);
  if (!m_tty) {
    return;
  }
  fmt::print(stderr, "\r\033[K{}: {}: {}", host, step, detail);
  m_progress_shown = true;
}

void ConsoleReporter::step_failed(const std::string& host, const std::string& step,
                                  const std::string& /*error*/) {
  std::lock_guard lock(m_mutex);
  clear_progress();
  // The error itself is printed once, in the apply summary.
  fmt::print("{}: {} FAILED\n", host, step);
  std::fflush(stdout);
}

} // namespace vmoodle::cli
