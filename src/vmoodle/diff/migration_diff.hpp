#pragma once

#include <optional>
#include <string>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"

namespace vmoodle::diff {

/// What a host's `charset`, `collation`, `engine` and `row_format` ask for, spelled as
/// the statements will name them. An empty field is not managed.
struct MigrationTarget {
  std::string charset;   ///< set whenever `charset` or `collation` is
  std::string collation; ///< empty with a `charset`: the server's default collation for it
  std::string engine;
  std::string row_format; ///< InnoDB's; applies to tables that are, or become, InnoDB

  bool managed() const { return !charset.empty() || !engine.empty() || !row_format.empty(); }
};

/// The target of `host`: `charset` defaults to the charset of `collation`.
MigrationTarget migration_target(const model::Host& host);

/// Whether collation `name` is what `target` asks for: the same collation, or, when only
/// a charset is managed, any collation of that charset. Needs `target.charset` set.
bool collation_at_target(const MigrationTarget& target, const std::string& name);

/// What `table` needs to reach `target`, or nullopt when it is there. Names are compared
/// canonically (`utf8` ≡ `utf8mb3`, any case). The collation counts as off when the
/// table default or any text column differs; `collation_to` is the target collation, or
/// the bare charset when only `charset` is managed. A row format is compared only for
/// InnoDB tables whose dictionary reported one; a table becoming InnoDB always gets the
/// target row format (`row_format_from` then empty).
std::optional<plan::TableChange> table_change(const MigrationTarget& target,
                                              const model::TableFacts& table);

/// The database default `db` needs, as `charset_*`/`collation_*` of a Migration with no
/// tables; `*_to` stay empty when that part is right or unmanaged.
plan::Migration database_change(const MigrationTarget& target, const model::DatabaseFacts& db);

/// Everything `host`'s database `db` needs to reach the host's target: its tables off
/// target, in `db.tables` order, and its default charset/collation. nullopt when nothing
/// is managed, `db` does not exist, or everything is at target.
std::optional<plan::Migration> migration_for(const model::Host& host,
                                             const model::DatabaseFacts& db);

/// One line for the plan, e.g. `312 tables utf8mb3_unicode_ci → utf8mb4_unicode_ci,
/// 14 tables MyISAM → InnoDB, 298 tables Compact → Dynamic; database default
/// utf8mb3_general_ci → utf8mb4_unicode_ci; 1.2 GB to rewrite in 312 tables`.
std::string migration_summary(const plan::Migration& migration);

/// `1.2 GB`, `340.0 KB`, `512 B` (powers of 1024).
std::string human_bytes(std::uint64_t bytes);

} // namespace vmoodle::diff
