#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::sql {

/// How the values of a column are written in an INSERT.
enum class ValueKind {
  text,   ///< escaped single-quoted string
  number, ///< as the server printed it, unquoted
  binary, ///< `0x` and upper-case hex (mysqldump's --hex-blob), `''` when empty
};

/// mysqldump's default `net_buffer_length`: an INSERT stops taking rows past it.
inline constexpr std::size_t k_insert_bytes = std::size_t{1024} * 1024;

/// Appends `value` to `out` as SQL for a column of `kind`: `NULL` for nullopt. A
/// `number` whose text is not a plain decimal or float number is quoted instead,
/// so that no column value can ever end the statement.
void append_value(std::string& out, const std::optional<std::string>& value, ValueKind kind);

/// True when `extra` (information_schema.COLUMNS.EXTRA) marks a generated column
/// (`VIRTUAL GENERATED`, `STORED GENERATED`, `PERSISTENT`...): no value may be inserted.
bool is_generated_column(std::string_view extra);

/// Writes a dump in the layout of `mysqldump --opt` / `mariadb-dump`, which the stock
/// client and DumpReader load into whatever database is selected: header saving and
/// setting the session (`SET NAMES utf8mb4`, UTC time zone, no unique and foreign-key
/// checks, `NO_AUTO_VALUE_ON_ZERO`), per table `DROP TABLE IF EXISTS`, the CREATE
/// TABLE, then `LOCK TABLES`, extended INSERTs of at most `insert_bytes` (a larger row
/// goes alone) and `UNLOCK TABLES`, and a trailer restoring the session. Never a
/// `CREATE DATABASE`, `USE` or database-qualified name. Holds at most one INSERT in
/// memory; everything else goes straight to the sink.
///
/// Calls go: begin, then per table: table, begin_rows, row..., end_rows; then finish.
class DumpWriter {
public:
  /// Receives the text in order; an error stops the writer and is returned.
  using Sink = std::function<Status(std::string_view)>;

  explicit DumpWriter(Sink sink, std::size_t insert_bytes = k_insert_bytes);

  /// The header; `source` (say, which database of which host) goes into a comment,
  /// with control characters replaced so that it cannot end the comment.
  Status begin(std::string_view source);
  /// `DROP TABLE IF EXISTS` and `create_table`, the text of SHOW CREATE TABLE (taken to
  /// be for table `name`, without a database name).
  Status table(std::string_view name, std::string_view create_table);
  /// Starts the data of `name`. Each row has one value per entry of `kinds`. When
  /// `columns` is not empty the INSERTs name them (tables with generated columns).
  Status begin_rows(std::string_view name, std::vector<ValueKind> kinds,
                    std::vector<std::string> columns = {});
  /// One row; an `internal` error when it does not have one value per column kind.
  Status row(const std::vector<std::optional<std::string>>& values);
  /// Ends the data of the current table.
  Status end_rows();
  /// The trailer, ending with `-- Dump completed on <completed>` (the mark that the file
  /// is whole, as mysqldump writes it).
  Status finish(std::string_view completed);

  /// Bytes given to the sink so far.
  std::uint64_t bytes() const { return m_bytes; }
  /// Rows written so far, all tables together.
  std::uint64_t rows() const { return m_rows; }

private:
  Status emit(std::string_view text);
  Status flush_insert();

  Sink m_sink;
  std::size_t m_insert_bytes;
  std::string m_table;       // backquoted, while its rows are written
  std::string m_insert_head; // `INSERT INTO `t` VALUES ` (or with columns)
  std::vector<ValueKind> m_kinds;
  std::string m_insert; // the INSERT being filled; empty when none is open
  std::string m_row;    // one row being formatted, reused
  std::uint64_t m_bytes = 0;
  std::uint64_t m_rows = 0;
};

} // namespace vmoodle::sql
