#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "vmoodle/apply/template_load.hpp"
#include "vmoodle/db/connection.hpp"
#include "vmoodle/platform/filesystem.hpp"

namespace vmoodle::apply {

/// Opens one more session on the target server with the target database selected.
using ConnectionFactory = std::function<Result<std::unique_ptr<db::Connection>>()>;

struct ParallelLoadOptions {
  /// Worker connections loading tables; 1 (or less) loads on `conn` alone.
  std::size_t workers = 4;
  /// Statements read ahead of the workers, in bytes, all queues together (a statement
  /// larger than this still goes, alone).
  std::size_t queue_bytes = std::size_t{16} << 20;
  /// When not empty, the extra sessions come from a budget of `workers` per key (the
  /// server) shared by every load of this process at the time: creates running side by
  /// side do not multiply the sessions; a load granted one or none runs on `conn` alone.
  std::string budget_key;
  /// An InnoDB table whose rows in the dump reach this many bytes is created without its
  /// plain secondary indexes, added back by one `ALTER TABLE` per table once every row is
  /// in (sql/secondary_keys.hpp); smaller tables, whose ALTER would cost more than it
  /// saves, keep them. 0: never. Up to this many bytes of a table's rows wait while it
  /// is decided.
  std::size_t defer_keys_bytes = std::size_t{4} << 20;
  /// The caller created the target database empty for this load: drops that cannot find
  /// a table are left out (NewDatabaseDrops).
  bool new_database = false;
};

/// The extra sessions loads of `key` hold now (for tests and reports).
std::size_t load_sessions_in_use(const std::string& key);

/// Streams the dump at `path` into `conn` (whose default database is the target), renaming
/// tables from `from_prefix` to `to_prefix` in identifiers only, and runs its tables on
/// `options.workers` sessions opened with `connect`, like myloader, while reading the
/// single file once (granted one session or none, or without `connect`, on `conn` alone,
/// in a thread of its own while the file is read ahead). `on_progress` is called every
/// few thousand statements.
///  - the `SET` statements before the first table (names, time zone, sql_mode, unique
///    and foreign-key checks) run on `conn` and on every worker;
///  - a table's `DROP TABLE`, `CREATE TABLE` and the `SET`s around them run together
///    on one worker, ahead of waiting rows (with `new_database`, without a drop that
///    cannot find the table);
///  - its `INSERT`s run on any worker once its CREATE is done, several at once;
///  - `LOCK TABLES`/`UNLOCK TABLES` and `ALTER TABLE ... DISABLE/ENABLE KEYS` (hints for
///    a single connection) are skipped;
///  - anything else (views, triggers, routines, a later `SET`) waits for everything
///    before it and runs alone, a `SET` on every session, the rest on `conn`.
/// Memory: the statement being read, those queued (`options.queue_bytes`) and one per
/// worker. The first failing statement stops the load; its error names `path:line`.
/// Tables are left as far as they got (the caller's database is marked as being created).
Result<LoadStats> load_template_parallel(platform::FileReader& files, const std::string& path,
                                         db::Connection& conn, const ConnectionFactory& connect,
                                         const std::string& from_prefix,
                                         const std::string& to_prefix,
                                         const std::function<void(const LoadStats&)>& on_progress,
                                         const ParallelLoadOptions& options = {});

} // namespace vmoodle::apply
