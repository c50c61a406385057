#include "vmoodle/render/migration_text.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace vmoodle::render {

std::vector<std::string> migration_lines(const plan::Migration& migration) {
  // (from, to) → number of tables, one map per property.
  using Counts = std::map<std::pair<std::string, std::string>, int>;
  Counts collations, engines, formats;
  for (const auto& table : migration.tables) {
    if (!table.collation_to.empty()) {
      ++collations[{table.collation_from, table.collation_to}];
    }
    if (!table.engine_to.empty()) {
      ++engines[{table.engine_from, table.engine_to}];
    }
    if (!table.row_format_to.empty()) {
      ++formats[{table.row_format_from, table.row_format_to}];
    }
  }
  std::vector<std::pair<int, std::string>> lines;
  for (const Counts* counts : {&collations, &engines, &formats}) {
    for (const auto& [pair, count] : *counts) {
      lines.emplace_back(count,
                         fmt::format("{} table{} {} → {}", count, count == 1 ? "" : "s",
                                     pair.first.empty() ? "(none)" : pair.first, pair.second));
    }
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  if (!migration.collation_to.empty() || !migration.charset_to.empty()) {
    out.push_back(fmt::format(
        "database default {} → {}",
        migration.collation_from.empty() ? migration.charset_from : migration.collation_from,
        migration.collation_to.empty() ? migration.charset_to : migration.collation_to));
  }
  for (auto& [count, line] : lines) {
    out.push_back(std::move(line));
  }
  return out;
}

std::string human_bytes(std::uint64_t bytes) {
  static const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000.0 && unit < 4) {
    value /= 1000.0;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

} // namespace vmoodle::render
