#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vmoodle/apply/migration_work.hpp"

namespace vmoodle::apply {

/// InnoDB's largest row in Compact/Redundant format on 16 KB pages, as Moodle checks it
/// (`ANTELOPE_MAX_ROW_SIZE`).
inline constexpr std::uint64_t k_antelope_max_row_size = 8126;
/// Largest index column prefix of Compact/Redundant rows.
inline constexpr std::uint64_t k_antelope_max_prefix = 767;

/// Why a migration may not start: the tables concerned, the reason and what to do.
struct Refusal {
  std::vector<std::string> tables;
  std::string reason;
  std::string hint;
};

/// Moodle's `guess_antelope_row_size()`: 1000 when there is more than one column, plus
/// 768 per text or binary column, min(3 × length, 768) per char column and 8 for any
/// other column.
std::uint64_t moodle_row_size_estimate(const std::vector<ColumnFacts>& columns);

/// `10.6.4-MariaDB-log` → {10, 6, 4}; zeros for what cannot be read.
std::vector<int> version_numbers(const std::string& version);

/// Every reason `work` cannot be done on a server with `settings`, checked before any
/// table is touched, table by table as each will be after its rebuild:
/// - the target engine is available (SHOW ENGINES);
/// - Compressed rows: `innodb_file_per_table=ON`, not MariaDB 10.6.0–10.6.5, and not
///   `innodb_read_only_compressed=ON`;
/// - index key parts fit the row format's prefix limit (767 bytes for Compact and
///   Redundant, 3072 otherwise on 16 KB pages), and whole keys fit InnoDB's key limit,
///   counting the bytes per character of the charset the column will have;
/// - Compact/Redundant tables stay within Moodle's 8126-byte row-size estimate.
/// Empty when the migration may go ahead.
std::vector<Refusal> preflight(const ServerSettings& settings, const std::vector<TableWork>& work);

} // namespace vmoodle::apply
