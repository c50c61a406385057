#include "vmoodle/apply/migration_facts.hpp"

#include <charconv>
#include <map>

#include "vmoodle/live/catalog_queries.hpp"
#include "vmoodle/sql/alter_table.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::apply {
namespace {

std::string text(const db::Row& row, std::size_t i) {
  return i < row.size() && row[i] ? *row[i] : std::string();
}

std::uint64_t number(const db::Row& row, std::size_t i) {
  const std::string value = text(row, i);
  std::uint64_t out = 0;
  std::from_chars(value.data(), value.data() + value.size(), out);
  return out;
}

} // namespace

Result<ServerSettings> read_server_settings(db::Connection& conn) {
  ServerSettings settings;
  VM_TRY_ASSIGN(auto version, conn.query("SELECT @@version"));
  if (!version.rows.empty()) {
    settings.version = text(version.rows.front(), 0);
  }
  VM_TRY_ASSIGN(auto variables,
                conn.query("SHOW VARIABLES WHERE Variable_name IN ('innodb_file_per_table', "
                           "'innodb_read_only_compressed', 'innodb_page_size', "
                           "'innodb_default_row_format')"));
  for (const auto& row : variables.rows) {
    settings.variables[sql::ascii_lower(text(row, 0))] = text(row, 1);
  }
  VM_TRY_ASSIGN(auto engines, conn.query("SELECT ENGINE, SUPPORT FROM information_schema.ENGINES"));
  for (const auto& row : engines.rows) {
    const std::string support = sql::ascii_lower(text(row, 1));
    if (support == "yes" || support == "default") {
      settings.engines.insert(sql::ascii_lower(text(row, 0)));
    }
  }
  return settings;
}

Result<HostSchema> read_host_schema(db::Connection& conn, const std::string& database) {
  HostSchema schema;
  VM_TRY_ASSIGN(const std::string version, live::read_server_version(conn));
  VM_TRY_ASSIGN(auto facts, live::read_databases(conn, {database}, version));
  schema.database = facts[database];
  if (!schema.database.exists) {
    return schema;
  }
  std::map<std::string, TableSchema> by_name;
  for (const auto& table : schema.database.tables) {
    by_name[table.name].facts = table;
  }
  const std::string in_db = "TABLE_SCHEMA = " + sql::literal(database);

  VM_TRY_ASSIGN(auto options, conn.query("SELECT TABLE_NAME, CREATE_OPTIONS FROM "
                                         "information_schema.TABLES WHERE " +
                                         in_db + " AND TABLE_TYPE = 'BASE TABLE'"));
  for (const auto& row : options.rows) {
    if (auto it = by_name.find(text(row, 0)); it != by_name.end()) {
      it->second.create_options = text(row, 1);
    }
  }
  VM_TRY_ASSIGN(auto columns,
                conn.query("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, "
                           "COLLATION_NAME FROM information_schema.COLUMNS WHERE " +
                           in_db + " ORDER BY TABLE_NAME, ORDINAL_POSITION"));
  for (const auto& row : columns.rows) {
    if (auto it = by_name.find(text(row, 0)); it != by_name.end()) {
      it->second.columns.push_back(
          {text(row, 1), sql::ascii_lower(text(row, 2)), number(row, 3), text(row, 4)});
    }
  }
  VM_TRY_ASSIGN(auto indexes, conn.query("SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, INDEX_TYPE, "
                                         "SUB_PART FROM information_schema.STATISTICS WHERE " +
                                         in_db + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"));
  for (const auto& row : indexes.rows) {
    if (auto it = by_name.find(text(row, 0)); it != by_name.end()) {
      it->second.index_parts.push_back({text(row, 1), text(row, 2), text(row, 3), number(row, 4)});
    }
  }
  // Keep refresh's table order, so plan and apply list tables alike.
  for (const auto& table : schema.database.tables) {
    schema.tables.push_back(std::move(by_name[table.name]));
  }
  return schema;
}

Result<model::TableFacts> read_table_facts(db::Connection& conn, const std::string& database,
                                           const std::string& table) {
  const std::string where =
      "TABLE_SCHEMA = " + sql::literal(database) + " AND TABLE_NAME = " + sql::literal(table);
  // ROW_FORMAT opens the table: affordable for the one table just rebuilt.
  VM_TRY_ASSIGN(auto rows, conn.query("SELECT ENGINE, TABLE_COLLATION, ROW_FORMAT, DATA_LENGTH, "
                                      "INDEX_LENGTH FROM information_schema.TABLES WHERE " +
                                      where));
  if (rows.rows.empty()) {
    return fail(ErrorKind::conflict, "table " + table + " no longer exists", "database " + database,
                "run plan again");
  }
  const auto& row = rows.rows.front();
  model::TableFacts facts;
  facts.name = table;
  facts.engine = text(row, 0);
  facts.collation = text(row, 1);
  if (sql::is_innodb(facts.engine)) {
    facts.row_format = text(row, 2);
  }
  facts.data_length = number(row, 3);
  facts.index_length = number(row, 4);
  VM_TRY_ASSIGN(
      auto columns,
      conn.query("SELECT COLLATION_NAME, COUNT(*) FROM information_schema.COLUMNS WHERE " + where +
                 " AND COLLATION_NAME IS NOT NULL GROUP BY 1"));
  for (const auto& column : columns.rows) {
    facts.column_collations[text(column, 0)] += static_cast<int>(number(column, 1));
  }
  return facts;
}

} // namespace vmoodle::apply
