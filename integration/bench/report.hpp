#pragma once

#include <string>
#include <vector>

#include "integration/bench/measure.hpp"

namespace vmoodle::bench {

/// The results of one run: per scenario the tool's time and peak memory and each
/// peer's time, printed as they come and as one Markdown table at the end.
class Report {
public:
  /// The tool's time for `scenario`; peers added later are compared with it.
  void tool(const std::string& scenario, const std::string& subject, const Measure& m);
  /// A peer's time on the same data in the same run.
  void peer(const std::string& scenario, const std::string& subject, double seconds);
  /// A peer that could not be measured, and why.
  void skipped(const std::string& scenario, const std::string& subject, const std::string& why);
  /// A fact about the scenario's data (sizes, counts, setup time).
  void note(const std::string& scenario, const std::string& text);

  /// The Markdown table: scenario, subject, time, ratio (peer ÷ tool: above 1 the tool is
  /// faster), the tool's peak RSS; then the notes.
  void print_summary() const;

private:
  struct Row {
    std::string scenario;
    std::string subject;
    double seconds = -1; // -1: skipped
    long rss_kb = 0;     // the tool only
    bool is_tool = false;
    std::string why;
  };
  double tool_seconds(const std::string& scenario) const;

  std::vector<Row> m_rows;
  std::vector<std::pair<std::string, std::string>> m_notes;
};

} // namespace vmoodle::bench
