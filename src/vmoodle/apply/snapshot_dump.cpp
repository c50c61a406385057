#include "vmoodle/apply/snapshot_dump.hpp"

#include <ctime>
#include <map>
#include <vector>

#include "vmoodle/sql/dump_writer.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::apply {
namespace {

// As mysqldump: an empty sql_mode so SHOW CREATE TABLE uses backquotes and full
// options whatever the server's mode (it also keeps backslash escapes, which the
// writer's literals need); UTC so TIMESTAMP values match the dump's TIME_ZONE; a
// long write timeout since the server waits on us while we write the file.
constexpr const char* k_session_setup[] = {
    "SET SESSION sql_mode = ''",
    "SET SESSION time_zone = '+00:00'",
    "SET SESSION sql_quote_show_create = 1",
    "SET SESSION net_write_timeout = 3600",
    "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
    "START TRANSACTION WITH CONSISTENT SNAPSHOT",
};

struct TableColumns {
  std::vector<std::string> insertable;
  bool has_generated = false;
};

Result<std::vector<std::string>> base_tables(db::Connection& conn, const std::string& database) {
  VM_TRY_ASSIGN(
      auto result,
      conn.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                 sql::literal(database) + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME"));
  std::vector<std::string> tables;
  for (const auto& row : result.rows) {
    if (!row.empty() && row[0]) {
      tables.push_back(*row[0]);
    }
  }
  return tables;
}

Result<std::map<std::string, TableColumns>> table_columns(db::Connection& conn,
                                                          const std::string& database) {
  VM_TRY_ASSIGN(auto result,
                conn.query("SELECT TABLE_NAME, COLUMN_NAME, EXTRA FROM information_schema.COLUMNS "
                           "WHERE TABLE_SCHEMA = " +
                           sql::literal(database) + " ORDER BY TABLE_NAME, ORDINAL_POSITION"));
  std::map<std::string, TableColumns> columns;
  for (const auto& row : result.rows) {
    if (row.size() < 3 || !row[0] || !row[1]) {
      continue;
    }
    TableColumns& table = columns[*row[0]];
    if (sql::is_generated_column(row[2].value_or(""))) {
      table.has_generated = true;
    } else {
      table.insertable.push_back(*row[1]);
    }
  }
  return columns;
}

std::vector<sql::ValueKind> kinds_of(const std::vector<db::ColumnMeta>& meta) {
  std::vector<sql::ValueKind> kinds;
  kinds.reserve(meta.size());
  for (const auto& column : meta) {
    kinds.push_back(column.is_binary    ? sql::ValueKind::binary
                    : column.is_numeric ? sql::ValueKind::number
                                        : sql::ValueKind::text);
  }
  return kinds;
}

class Dumper {
public:
  Dumper(db::Connection& conn, const std::string& database, platform::OutputStream& out,
         const DumpProgress& progress)
      : m_conn(conn), m_database(database), m_progress(progress),
        m_writer([&out](std::string_view text) { return out.write(text); }) {}

  Status run(const std::string& source, platform::Clock& clock) {
    for (const char* statement : k_session_setup) {
      VM_TRY(m_conn.execute(statement));
    }
    VM_TRY_ASSIGN(auto tables, base_tables(m_conn, m_database));
    VM_TRY_ASSIGN(m_columns, table_columns(m_conn, m_database));
    VM_TRY(m_writer.begin(source));
    for (const auto& table : tables) {
      if (auto dumped = dump_table(table); !dumped) {
        Error error = dumped.error();
        return tl::unexpected(std::move(error.in("table " + table)));
      }
      ++m_stats.tables;
    }
    // Read-only: nothing to commit, and the snapshot is released at once.
    VM_TRY(m_conn.execute("ROLLBACK"));
    VM_TRY(m_writer.finish(utc_timestamp(clock.unix_seconds())));
    update_stats();
    return {};
  }

  const DumpStats& stats() const { return m_stats; }

private:
  Status dump_table(const std::string& table) {
    const std::string qualified = sql::ident(m_database, table);
    VM_TRY_ASSIGN(auto create, m_conn.query("SHOW CREATE TABLE " + qualified));
    if (create.rows.empty() || create.rows.front().size() < 2 || !create.rows.front()[1]) {
      return fail(ErrorKind::db, "SHOW CREATE TABLE returned nothing", {},
                  "check that the user may read the table");
    }
    VM_TRY(m_writer.table(table, *create.rows.front()[1]));

    std::vector<std::string> named; // only for tables with generated columns
    std::string select = "SELECT * FROM " + qualified;
    if (auto it = m_columns.find(table); it != m_columns.end() && it->second.has_generated) {
      named = it->second.insertable;
      select = "SELECT ";
      for (std::size_t i = 0; i < named.size(); ++i) {
        if (i > 0) {
          select += ',';
        }
        select += sql::ident(named[i]);
      }
      select += " FROM " + qualified;
    }

    std::vector<db::ColumnMeta> meta;
    bool started = false;
    auto start = [&]() -> Status {
      started = true;
      return m_writer.begin_rows(table, kinds_of(meta), named);
    };
    VM_TRY(m_conn.query_each(
        select,
        [&](const db::Row& row) -> Status {
          if (!started) {
            VM_TRY(start());
          }
          VM_TRY(m_writer.row(row));
          if (m_writer.bytes() >= m_next_progress) {
            update_stats();
            m_next_progress = m_writer.bytes() + k_dump_progress_bytes;
            if (m_progress) {
              m_progress(table, m_stats);
            }
          }
          return {};
        },
        &meta));
    if (!started) {
      VM_TRY(start());
    }
    return m_writer.end_rows();
  }

  void update_stats() {
    m_stats.rows = m_writer.rows();
    m_stats.bytes = m_writer.bytes();
  }

  db::Connection& m_conn;
  const std::string& m_database;
  const DumpProgress& m_progress;
  sql::DumpWriter m_writer;
  std::map<std::string, TableColumns> m_columns;
  DumpStats m_stats;
  std::uint64_t m_next_progress = k_dump_progress_bytes;
};

} // namespace

std::string utc_timestamp(std::int64_t unix_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

Result<DumpStats> dump_database(db::Connection& conn, const std::string& database,
                                const std::string& source, platform::OutputStream& out,
                                platform::Clock& clock, const DumpProgress& progress) {
  if (!sql::is_identifier(database)) {
    return fail(ErrorKind::manifest, "invalid database name for a snapshot", database,
                "database names are 1-64 characters of A-Z a-z 0-9 _");
  }
  Dumper dumper(conn, database, out, progress);
  VM_TRY(dumper.run(source, clock));
  return dumper.stats();
}

} // namespace vmoodle::apply
