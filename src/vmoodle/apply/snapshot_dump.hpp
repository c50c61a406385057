#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "vmoodle/db/connection.hpp"
#include "vmoodle/platform/clock.hpp"
#include "vmoodle/platform/filesystem.hpp"

namespace vmoodle::apply {

struct DumpStats {
  std::size_t tables = 0;
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
};

/// Called every few MiB of output with the table being read and the totals so far.
using DumpProgress = std::function<void(const std::string& table, const DumpStats&)>;

/// How much output passes between two progress calls.
inline constexpr std::uint64_t k_dump_progress_bytes = 16ull << 20;

/// Writes every base table of `database` (information_schema.TABLES, in name order)
/// to `out` as a mariadb-dump compatible file (sql::DumpWriter), read in ONE
/// transaction (`REPEATABLE READ`, `START TRANSACTION WITH CONSISTENT SNAPSHOT`) on
/// `conn`, so InnoDB tables are dumped as of one instant while the site keeps
/// writing. The session dumps with an empty sql_mode and the UTC time zone, as
/// mysqldump does; rows are streamed (Connection::query_each), numbers written
/// unquoted, binary values as hex, generated columns left out. Views, triggers and
/// routines are not dumped (Moodle has none). `source` names the origin in the header
/// comment; `clock` dates the trailer. `out` is not closed. Errors name the table.
Result<DumpStats> dump_database(db::Connection& conn, const std::string& database,
                                const std::string& source, platform::OutputStream& out,
                                platform::Clock& clock, const DumpProgress& progress);

/// `2024-05-01 12:00:00 UTC`.
std::string utc_timestamp(std::int64_t unix_seconds);

} // namespace vmoodle::apply
