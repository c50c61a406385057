#include "vmoodle/apply/migration_work.hpp"

namespace vmoodle::apply {
namespace {

using sql::ascii_lower;
using sql::is_innodb;

} // namespace

std::string ServerSettings::variable(const std::string& name) const {
  auto it = variables.find(name);
  return it == variables.end() ? std::string() : it->second;
}

std::vector<TableWork> tables_to_migrate(const diff::MigrationTarget& target,
                                         const std::vector<TableSchema>& tables) {
  std::vector<TableWork> work;
  for (const auto& table : tables) {
    if (auto change = diff::table_change(target, table.facts)) {
      work.push_back({table, std::move(*change)});
    }
  }
  return work;
}

sql::TableAlter alter_for(const std::string& database, const diff::MigrationTarget& target,
                          const TableWork& work) {
  sql::TableAlter alter;
  alter.database = database;
  alter.table = work.change.table;
  alter.engine = work.change.engine_to;
  alter.row_format = work.change.row_format_to;
  if (alter.row_format.empty() && is_innodb(work.change.engine_to) &&
      ascii_lower(work.schema.create_options).find("row_format=") != std::string::npos) {
    // `ALTER TABLE … ENGINE=InnoDB` keeps a MyISAM `ROW_FORMAT=FIXED`, and strict InnoDB
    // then fails with "Wrong create options" (errno 140).
    alter.row_format = "DEFAULT";
  }
  if (!work.change.collation_to.empty()) {
    alter.charset = target.charset;
    alter.collation = target.collation;
  }
  return alter;
}

std::string final_engine(const TableWork& work) {
  return work.change.engine_to.empty() ? work.schema.facts.engine : work.change.engine_to;
}

std::string final_row_format(const TableWork& work, const ServerSettings& settings) {
  if (!is_innodb(final_engine(work))) {
    return "";
  }
  if (!work.change.row_format_to.empty()) {
    return sql::canonical_row_format(work.change.row_format_to);
  }
  if (!is_innodb(work.schema.facts.engine)) {
    // A new InnoDB table without a ROW_FORMAT clause takes the server's default.
    const std::string fallback = settings.variable("innodb_default_row_format");
    return sql::canonical_row_format(fallback.empty() ? "dynamic" : fallback);
  }
  return sql::canonical_row_format(work.schema.facts.row_format);
}

std::string final_charset(const TableWork& work, const ColumnFacts& column) {
  if (!work.change.collation_to.empty()) {
    return sql::charset_of(work.change.collation_to);
  }
  return sql::charset_of(column.collation);
}

} // namespace vmoodle::apply
