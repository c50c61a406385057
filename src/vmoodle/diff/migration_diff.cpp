#include "vmoodle/diff/migration_diff.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "vmoodle/sql/alter_table.hpp"

namespace vmoodle::diff {
namespace {

using sql::is_innodb;

/// The collation a table is moved away from: its default when that is off, else the
/// most used of its columns' off-target collations; empty when everything is right.
std::string collation_off_target(const MigrationTarget& target, const model::TableFacts& table) {
  if (!table.collation.empty() && !collation_at_target(target, table.collation)) {
    return table.collation;
  }
  std::string worst;
  int most = 0;
  for (const auto& [name, count] : table.column_collations) {
    if (!collation_at_target(target, name) && count > most) {
      worst = name;
      most = count;
    }
  }
  return worst;
}

using Move = std::pair<std::string, std::string>; // from, to

void append_moves(std::vector<std::string>& parts, const std::map<Move, int>& moves) {
  std::vector<std::tuple<int, Move>> sorted;
  for (const auto& [move, count] : moves) {
    sorted.emplace_back(count, move);
  }
  // Most tables first; ties in name order, so the line is the same on every run.
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  for (const auto& [count, move] : sorted) {
    parts.push_back(fmt::format("{} {} {} → {}", count, count == 1 ? "table" : "tables", move.first,
                                move.second));
  }
}

} // namespace

bool collation_at_target(const MigrationTarget& target, const std::string& name) {
  if (!target.collation.empty() && name == target.collation) {
    return true; // most columns of a converged fleet: no canonical names to build
  }
  if (target.collation.empty()) {
    return sql::charset_of(name) == sql::canonical_charset(target.charset);
  }
  return sql::canonical_collation(name) == sql::canonical_collation(target.collation);
}

MigrationTarget migration_target(const model::Host& host) {
  MigrationTarget target;
  if (host.collation) {
    target.collation = *host.collation;
    target.charset =
        host.charset ? *host.charset : host.collation->substr(0, host.collation->find('_'));
  } else if (host.charset) {
    target.charset = *host.charset;
  }
  target.engine = host.engine.value_or("");
  target.row_format = host.row_format ? sql::canonical_row_format(*host.row_format) : "";
  return target;
}

std::optional<plan::TableChange> table_change(const MigrationTarget& target,
                                              const model::TableFacts& table) {
  plan::TableChange change;
  change.table = table.name;
  bool off = false;
  if (!target.engine.empty() && !sql::iequals(table.engine, target.engine)) {
    change.engine_from = table.engine;
    change.engine_to = target.engine;
    off = true;
  }
  if (!target.charset.empty()) {
    if (auto from = collation_off_target(target, table); !from.empty()) {
      change.collation_from = from;
      change.collation_to = target.collation.empty() ? target.charset : target.collation;
      off = true;
    }
  }
  if (!target.row_format.empty()) {
    const std::string& final_engine = change.engine_to.empty() ? table.engine : change.engine_to;
    // ROW_FORMAT here is InnoDB's: MyISAM and Aria tables that stay so are left alone.
    if (is_innodb(final_engine)) {
      // A table becoming InnoDB takes the target format: what it would get otherwise
      // depends on its old create options and the server's default. An InnoDB table the
      // dictionary did not report (empty) is not guessed at.
      const bool becomes_innodb = !is_innodb(table.engine);
      const bool other_format =
          !table.row_format.empty() && !sql::iequals(table.row_format, target.row_format);
      if (becomes_innodb || other_format) {
        change.row_format_from = table.row_format;
        change.row_format_to = target.row_format;
        off = true;
      }
    }
  }
  if (!off) {
    return std::nullopt;
  }
  change.bytes = table.data_length + table.index_length;
  return change;
}

plan::Migration database_change(const MigrationTarget& target, const model::DatabaseFacts& db) {
  plan::Migration migration;
  if (!db.exists) {
    return migration;
  }
  if (!target.charset.empty() &&
      sql::canonical_charset(db.charset) != sql::canonical_charset(target.charset)) {
    migration.charset_from = db.charset;
    migration.charset_to = target.charset;
  }
  if (!target.collation.empty() &&
      sql::canonical_collation(db.collation) != sql::canonical_collation(target.collation)) {
    migration.collation_from = db.collation;
    migration.collation_to = target.collation;
  }
  return migration;
}

std::optional<plan::Migration> migration_for(const model::Host& host,
                                             const model::DatabaseFacts& db) {
  const MigrationTarget target = migration_target(host);
  if (!target.managed() || !db.exists) {
    return std::nullopt;
  }
  plan::Migration migration = database_change(target, db);
  for (const auto& table : db.tables) {
    if (auto change = table_change(target, table)) {
      migration.tables.push_back(std::move(*change));
    }
  }
  if (migration.tables.empty() && migration.charset_to.empty() && migration.collation_to.empty()) {
    return std::nullopt;
  }
  return migration;
}

std::string migration_summary(const plan::Migration& migration) {
  std::map<Move, int> collations;
  std::map<Move, int> engines;
  std::map<Move, int> row_formats;
  for (const auto& table : migration.tables) {
    if (!table.collation_to.empty()) {
      ++collations[{table.collation_from, table.collation_to}];
    }
    if (!table.engine_to.empty()) {
      ++engines[{table.engine_from, table.engine_to}];
    }
    if (!table.row_format_to.empty()) {
      // A table becoming InnoDB has no InnoDB row format yet: name its engine instead.
      std::string from = table.row_format_from;
      if (from.empty()) {
        from = "(" + (table.engine_from.empty() ? std::string("unknown") : table.engine_from) + ")";
      }
      ++row_formats[{from, table.row_format_to}];
    }
  }
  std::vector<std::string> parts;
  append_moves(parts, collations);
  append_moves(parts, engines);
  append_moves(parts, row_formats);
  std::string out;
  for (const auto& part : parts) {
    out += (out.empty() ? "" : ", ") + part;
  }
  std::string database;
  if (!migration.collation_to.empty()) {
    database = migration.collation_from + " → " + migration.collation_to;
  } else if (!migration.charset_to.empty()) {
    database = migration.charset_from + " → " + migration.charset_to;
  }
  if (!database.empty()) {
    out += (out.empty() ? "" : "; ") + std::string("database default ") + database;
  }
  if (!migration.tables.empty()) {
    const auto count = migration.tables.size();
    out += fmt::format("; {} to rewrite in {} {}", human_bytes(migration.bytes()), count,
                       count == 1 ? "table" : "tables");
  }
  return out;
}

std::string human_bytes(std::uint64_t bytes) {
  static constexpr const char* k_units[] = {"KB", "MB", "GB", "TB"};
  if (bytes < 1024) {
    return fmt::format("{} B", bytes);
  }
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(k_units)) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, k_units[unit]);
}

} // namespace vmoodle::diff
