#include "integration/bench/report.hpp"

#include <cstdio>

namespace vmoodle::bench {
namespace {

std::string ratio_text(double peer, double tool) {
  if (tool <= 0) {
    return "–";
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.2f×", peer / tool);
  return text;
}

} // namespace

void Report::tool(const std::string& scenario, const std::string& subject, const Measure& m) {
  m_rows.push_back({scenario, subject, m.seconds, m.max_rss_kb, true, ""});
  std::printf("  [%s] %-44s %10s   peak RSS %ld MiB\n", scenario.c_str(), subject.c_str(),
              seconds_text(m.seconds).c_str(), m.max_rss_kb / 1024);
  std::fflush(stdout);
}

void Report::peer(const std::string& scenario, const std::string& subject, double seconds) {
  m_rows.push_back({scenario, subject, seconds, 0, false, ""});
  std::printf("  [%s] %-44s %10s   %s of the tool's time\n", scenario.c_str(), subject.c_str(),
              seconds_text(seconds).c_str(), ratio_text(seconds, tool_seconds(scenario)).c_str());
  std::fflush(stdout);
}

void Report::skipped(const std::string& scenario, const std::string& subject,
                     const std::string& why) {
  m_rows.push_back({scenario, subject, -1, 0, false, why});
  std::printf("  [%s] %-44s skipped: %s\n", scenario.c_str(), subject.c_str(), why.c_str());
  std::fflush(stdout);
}

void Report::note(const std::string& scenario, const std::string& text) {
  m_notes.emplace_back(scenario, text);
  std::printf("  [%s] %s\n", scenario.c_str(), text.c_str());
  std::fflush(stdout);
}

double Report::tool_seconds(const std::string& scenario) const {
  for (const auto& row : m_rows) {
    if (row.scenario == scenario && row.is_tool) {
      return row.seconds;
    }
  }
  return 0;
}

void Report::print_summary() const {
  std::printf("\n| scenario | run | time | peer ÷ tool | tool peak RSS |\n|---|---|---|---|---|\n");
  for (const auto& row : m_rows) {
    if (row.seconds < 0) {
      std::printf("| %s | %s | skipped: %s | | |\n", row.scenario.c_str(), row.subject.c_str(),
                  row.why.c_str());
    } else if (row.is_tool) {
      std::printf("| %s | **%s** | %s | 1.00× | %ld MiB |\n", row.scenario.c_str(),
                  row.subject.c_str(), seconds_text(row.seconds).c_str(), row.rss_kb / 1024);
    } else {
      std::printf("| %s | %s | %s | %s | |\n", row.scenario.c_str(), row.subject.c_str(),
                  seconds_text(row.seconds).c_str(),
                  ratio_text(row.seconds, tool_seconds(row.scenario)).c_str());
    }
  }
  if (!m_notes.empty()) {
    std::printf("\n");
    for (const auto& [scenario, text] : m_notes) {
      std::printf("- %s: %s\n", scenario.c_str(), text.c_str());
    }
  }
  std::fflush(stdout);
}

} // namespace vmoodle::bench
