#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/util/error.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle::db {

/// One result row; `std::nullopt` is SQL NULL.
using Row = std::vector<std::optional<std::string>>;

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

/// What a result column holds, as far as writing its values back as SQL goes.
struct ColumnMeta {
  std::string name;
  bool is_numeric = false; ///< integer, decimal, float or year: its text is a number
  bool is_binary = false;  ///< binary string, blob, bit or geometry: bytes, not text
};

/// A session on one database server. Not thread-safe: one per worker.
/// Statements given to it are already escaped/backquoted by `vmoodle::sql`.
class Connection {
public:
  virtual ~Connection() = default;
  /// Runs a statement that returns no rows (or whose rows are discarded).
  virtual Status execute(std::string_view sql) = 0;
  /// Runs a statement and returns all its rows.
  virtual Result<ResultSet> query(std::string_view sql) = 0;
  /// Runs a statement and calls `on_row` for each row as it arrives, so that memory
  /// does not grow with the result. `meta`, when not null, is filled before the first
  /// call. An error from `on_row` stops the statement and is returned. No other
  /// statement may run on this connection until this returns.
  /// The default reads everything through query() and knows only column names;
  /// real connections stream and fill the types.
  virtual Status query_each(std::string_view sql, const std::function<Status(const Row&)>& on_row,
                            std::vector<ColumnMeta>* meta) {
    VM_TRY_ASSIGN(auto set, query(sql));
    if (meta != nullptr) {
      meta->clear();
      for (auto& column : set.columns) {
        meta->push_back(ColumnMeta{column, false, false});
      }
    }
    for (const auto& row : set.rows) {
      VM_TRY(on_row(row));
    }
    return {};
  }
  /// `server db1 (127.0.0.1:3306)`: for error messages.
  virtual std::string describe() const = 0;
};

/// Opens connections; the CLI gives the MySQL one, tests give fakes.
class Connector {
public:
  virtual ~Connector() = default;
  /// Connects to `server` as its `user` with `password`, with `database` selected
  /// when given. Sessions use utf8mb4 and backslash escapes.
  virtual Result<std::unique_ptr<Connection>>
  connect(const model::Server& server, const Secret& password, const std::string& database) = 0;
};

} // namespace vmoodle::db
