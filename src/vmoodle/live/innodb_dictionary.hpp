#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "vmoodle/db/connection.hpp"
#include "vmoodle/model/live.hpp"

namespace vmoodle::live {

/// Facts on `databases` of a MariaDB server without opening a single table, whatever the
/// size of the fleet (docs/performance.md § Refresh):
/// - table names, types, engines and default collations from the frm-only columns of
///   `information_schema.TABLES` (asking it for sizes or ROW_FORMAT opens every table);
/// - row formats and the collation of every text column from InnoDB's dictionary views
///   (`INNODB_SYS_TABLES`, then `INNODB_SYS_COLUMNS`, whose PRTYPE carries the collation
///   id, with up to 256 MiB of the server's memory for that statement's temporary table);
/// - sizes from the persistent statistics behind `DATA_LENGTH`/`INDEX_LENGTH`
///   (`mysql.innodb_table_stats`), or the tablespace's file size when those are not
///   readable.
/// Tables the dictionary does not describe (not InnoDB, names stored encoded, ENUM or SET
/// columns whose collation PRTYPE lacks) are asked about one by one through
/// `information_schema.COLUMNS`/`TABLES` lookups on schema and name, batched.
/// The independent queries run at once, one per session: `sessions` holds at least one.
///
/// `counted` says which collations of text columns the caller looks at (all when empty):
/// the plan only looks for columns off their host's target, so a collation every managed
/// host of the server accepts is left out of `column_collations` and not even sent back,
/// and when no collation is looked at no column is read: the dictionary's column scan, the
/// biggest single cost of the read, is then not done at all (with a filter the server still
/// materializes every column before the `WHERE`; only the transfer shrinks).
using CollationFilter = std::function<bool(const std::string& collation)>;
Result<std::map<std::string, model::DatabaseFacts>>
read_databases_from_dictionary(const std::vector<db::Connection*>& sessions,
                               const std::set<std::string>& databases,
                               const CollationFilter& counted = {});

/// Which text columns the dictionary statement counts: none, or those whose collation id
/// is not in `skipped`.
struct ColumnCounting {
  bool any = true;
  std::set<std::int64_t> skipped;
};

/// The statements such a read sends when every table is InnoDB and the statistics are
/// readable, in the order sessions take them (benchmarks replay them as the floor), after
/// the collation ids it reads first.
std::vector<std::string> dictionary_statements(const std::set<std::string>& databases,
                                               const ColumnCounting& counting = {});

} // namespace vmoodle::live
