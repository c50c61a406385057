#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vmoodle::sql {

/// An InnoDB `CREATE TABLE` without its plain secondary indexes, and the statement that
/// adds them back once the rows are in: InnoDB then builds each index by sorting, rather
/// than inserting every row into every index as it comes (a 68 MB log table with eight
/// indexes loads in 5.3 s instead of 8.9 s; docs/performance.md).
struct DeferredKeys {
  std::string create;   ///< the CREATE TABLE without the deferred `KEY` lines
  std::string add_keys; ///< `ALTER TABLE t ADD KEY …, ADD KEY …`, in their order
};

/// Splits `create`, a `CREATE TABLE` as `SHOW CREATE TABLE` (hence mariadb-dump and
/// the tool's snapshots) writes it: one column or index definition per line. Only lines
/// `KEY name (…)` go; PRIMARY, UNIQUE, FULLTEXT and SPATIAL keys stay. Nothing is split
/// (nullopt) unless the table is InnoDB and the result is certain to be the same table:
/// not with foreign keys or constraints (which need or name indexes), FULLTEXT or SPATIAL
/// indexes (their order among the keys would move), partitions, or an AUTO_INCREMENT
/// column that is not the first column of the primary key (InnoDB wants it indexed from
/// the start).
std::optional<DeferredKeys> defer_secondary_keys(std::string_view create);

} // namespace vmoodle::sql
