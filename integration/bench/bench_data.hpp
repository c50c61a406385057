#pragma once

#include <cstdint>
#include <string>

#include "integration/bench/bench_workspace.hpp"

namespace vmoodle::bench {

/// The Moodle schema to build hosts from: `$VMOODLE_MOODLE_SCHEMA`, else the real Moodle
/// 4.3 schema in `../shared/fixtures/` beside the source tree when present, else the
/// project's own `integration/fixtures/moodle-mini.sql`.
std::string moodle_schema_path();

/// Number of `CREATE TABLE` statements in `path`.
int count_tables(const std::string& path);

/// Fills the log, user, file, event and config-log tables of `database` (those present)
/// with generated rows shaped like a school site's: French text, timestamps, hashes.
/// `scale` 1 gives about 10 MB of data. Rows a unique key refuses are skipped.
void fill_rows(const BenchWorkspace& ws, const std::string& database, int scale);

/// DATA_LENGTH + INDEX_LENGTH of `database`'s tables after ANALYZE, in bytes.
std::uint64_t database_bytes(const BenchWorkspace& ws, const std::string& database);

/// Writes `count` files into `filedir` in Moodle's layout (`ab/cd/<40 hex>`), sizes
/// stepping log-uniformly from `min_bytes` to `max_bytes` (many small, a few large, like
/// uploads), incompressible content. Returns the bytes written.
std::uint64_t write_filedir(const std::string& filedir, int count, std::uint64_t min_bytes,
                            std::uint64_t max_bytes);

/// `12.3 MiB`.
std::string mebibytes(std::uint64_t bytes);

} // namespace vmoodle::bench
