#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "vmoodle/diff/migration_diff.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"
#include "vmoodle/sql/alter_table.hpp"

namespace vmoodle::apply {

/// A column as `information_schema.COLUMNS` gives it.
struct ColumnFacts {
  std::string name;
  std::string data_type;       ///< lower case: `varchar`, `longtext`, `bigint`...
  std::uint64_t max_chars = 0; ///< CHARACTER_MAXIMUM_LENGTH; 0 when NULL
  std::string collation;       ///< empty for columns that are not text
};

/// One column of one index, as `information_schema.STATISTICS` gives it.
struct IndexPart {
  std::string index;
  std::string column;
  std::string type;           ///< `BTREE`, `FULLTEXT`, `HASH`, `SPATIAL`
  std::uint64_t sub_part = 0; ///< prefix length in characters; 0 for the whole column
};

/// A table as the migration sees it right before rebuilding it.
struct TableSchema {
  model::TableFacts facts;
  std::string create_options; ///< `TABLES.CREATE_OPTIONS`, e.g. `row_format=FIXED`
  std::vector<ColumnFacts> columns;
  std::vector<IndexPart> index_parts;
};

/// What the migration needs to know of the server, read when it starts.
struct ServerSettings {
  std::string version;                          ///< `@@version`
  std::map<std::string, std::string> variables; ///< name → value, from SHOW VARIABLES
  std::set<std::string> engines; ///< lower-case engines whose SUPPORT is YES or DEFAULT

  /// The value of `name`, empty when the server has no such variable.
  std::string variable(const std::string& name) const;
  bool is_mariadb() const { return version.find("MariaDB") != std::string::npos; }
};

/// One table to rebuild: its shape now and what changes.
struct TableWork {
  TableSchema schema;
  plan::TableChange change;
};

/// The tables of `tables` that are off `target`, in their order. Tables already at
/// target are left out: this is how an interrupted migration resumes.
std::vector<TableWork> tables_to_migrate(const diff::MigrationTarget& target,
                                         const std::vector<TableSchema>& tables);

/// The single ALTER TABLE that brings `work` to `target` in `database`. A table becoming
/// InnoDB while the row format is unmanaged gets `ROW_FORMAT=DEFAULT` when its old
/// create options name a row format, which InnoDB would refuse (`FIXED`, `PAGE`).
sql::TableAlter alter_for(const std::string& database, const diff::MigrationTarget& target,
                          const TableWork& work);

/// The engine `work`'s table has after its rebuild.
std::string final_engine(const TableWork& work);

/// The InnoDB row format `work`'s table has after its rebuild (`Compact`...); empty when
/// it is not InnoDB then or the format is unknown.
std::string final_row_format(const TableWork& work, const ServerSettings& settings);

/// The canonical charset `column` of `work`'s table has after its rebuild.
std::string final_charset(const TableWork& work, const ColumnFacts& column);

} // namespace vmoodle::apply
