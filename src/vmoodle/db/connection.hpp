#pragma once

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

/// A session on one database server. Not thread-safe: one per worker.
/// Statements given to it are already escaped/backquoted by `vmoodle::sql`.
class Connection {
public:
  virtual ~Connection() = default;
  /// Runs a statement that returns no rows (or whose rows are discarded).
  virtual Status execute(std::string_view sql) = 0;
  /// Runs a statement and returns all its rows.
  virtual Result<ResultSet> query(std::string_view sql) = 0;
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
