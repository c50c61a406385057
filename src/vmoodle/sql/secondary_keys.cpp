#include "vmoodle/sql/secondary_keys.hpp"

#include <vector>

namespace vmoodle::sql {
namespace {

std::string_view trim_left(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  return text;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (true) {
    const auto end = text.find('\n');
    out.push_back(text.substr(0, end));
    if (end == std::string_view::npos) {
      return out;
    }
    text.remove_prefix(end + 1);
  }
}

// The backquoted name that starts `text` (`a``b` is one name), with its quotes.
std::string_view quoted_name(std::string_view text) {
  if (text.empty() || text.front() != '`') {
    return {};
  }
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '`') {
      if (i + 1 < text.size() && text[i + 1] == '`') {
        ++i;
        continue;
      }
      return text.substr(0, i + 1);
    }
  }
  return {};
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

} // namespace

std::optional<DeferredKeys> defer_secondary_keys(std::string_view create) {
  const auto lines = lines_of(create);
  if (lines.size() < 3 || !starts_with(lines.front(), "CREATE TABLE ") ||
      !lines.front().ends_with(" (")) {
    return std::nullopt;
  }
  const std::string_view table = quoted_name(lines.front().substr(13));
  const std::string_view tail = lines.back();
  if (table.empty() || !starts_with(tail, ")") ||
      tail.find("ENGINE=InnoDB") == std::string_view::npos ||
      tail.find("PARTITION") != std::string_view::npos) {
    return std::nullopt;
  }

  std::string_view auto_increment; // the column's quoted name
  std::string_view primary_first;
  std::vector<std::string_view> kept;
  std::vector<std::string_view> keys;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    std::string_view line = trim_left(lines[i]);
    if (line.ends_with(",")) {
      line.remove_suffix(1);
    }
    if (starts_with(line, "KEY `")) {
      keys.push_back(line);
      continue;
    }
    if (starts_with(line, "FULLTEXT ") || starts_with(line, "SPATIAL ") ||
        starts_with(line, "CONSTRAINT ") || starts_with(line, "FOREIGN KEY ") ||
        starts_with(line, "CHECK ") || starts_with(line, "PERIOD ")) {
      return std::nullopt;
    }
    if (starts_with(line, "PRIMARY KEY (")) {
      primary_first = quoted_name(line.substr(13));
    } else if (starts_with(line, "`") && line.find(" AUTO_INCREMENT") != std::string_view::npos) {
      auto_increment = quoted_name(line);
    }
    kept.push_back(line);
  }
  if (keys.empty() || kept.empty() ||
      (!auto_increment.empty() && auto_increment != primary_first)) {
    return std::nullopt;
  }

  DeferredKeys out;
  out.create.append(lines.front()).append("\n");
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out.create.append("  ").append(kept[i]).append(i + 1 < kept.size() ? ",\n" : "\n");
  }
  out.create.append(tail);
  out.add_keys.append("ALTER TABLE ").append(table);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    out.add_keys.append(i == 0 ? " ADD " : ", ADD ").append(keys[i]);
  }
  return out;
}

} // namespace vmoodle::sql
