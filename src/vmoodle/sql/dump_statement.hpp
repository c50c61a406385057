#pragma once

#include <string>
#include <string_view>

namespace vmoodle::sql {

/// What a statement of a mysqldump / mariadb-dump file (as DumpReader returns it) does,
/// as far as loading its tables on several connections goes.
enum class DumpStatementKind {
  session_set,  ///< `SET ...`, possibly inside an executable comment: session state
  drop_table,   ///< `DROP TABLE [IF EXISTS] t` of one table
  create_table, ///< `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] t`
  lock_tables,  ///< `LOCK TABLES ...` / `UNLOCK TABLES`: a speed hint for one connection
  keys,         ///< `ALTER TABLE t DISABLE KEYS` / `ENABLE KEYS` (MyISAM speed hint)
  insert,       ///< `INSERT [IGNORE] INTO t` / `REPLACE INTO t`: rows of one table
  other,        ///< anything else (views, triggers, routines, ...): keeps its place
};

struct DumpStatement {
  DumpStatementKind kind = DumpStatementKind::other;
  std::string table;      ///< the table named, for drop_table, create_table, keys and insert
  bool if_exists = false; ///< drop_table: `DROP TABLE IF EXISTS`
};

/// Classifies `statement`. An executable comment `/*!NNNNN ... */` or `/*M!NNNNNN ... */`
/// wrapping the whole statement is looked into (the server runs its content). Names
/// qualified by a database, temporary tables and multi-table DROPs are `other`.
DumpStatement classify_dump_statement(std::string_view statement);

} // namespace vmoodle::sql
