#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "vmoodle/db/connection.hpp"

// libmariadb's handle type (`MYSQL`); <mysql.h> stays inside mysql_connector.cpp.
struct st_mysql;

namespace vmoodle::db {

/// A session on a MySQL/MariaDB server through libmariadb. Owns its handle, which
/// must be used by one thread at a time.
class MysqlConnection : public Connection {
public:
  /// Takes ownership of the connected `handle`; `description` is what `describe()` says.
  MysqlConnection(st_mysql* handle, std::string description);
  ~MysqlConnection() override;
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  /// Runs one statement; any rows it returns are read and discarded. The error
  /// message is the server's text and ` (errno N)`; the statement is never quoted
  /// in it, since statements may hold passwords.
  Status execute(std::string_view sql) override;
  /// Runs one statement and returns all its rows; a statement without a result set
  /// gives no columns and no rows.
  Result<ResultSet> query(std::string_view sql) override;
  /// Streams the rows (`mysql_use_result`): one row in memory at a time. Column types
  /// come from the result metadata. When `on_row` fails, the rest of the result is
  /// read and dropped so that the session stays usable.
  Status query_each(std::string_view sql, const std::function<Status(const Row&)>& on_row,
                    std::vector<ColumnMeta>* meta) override;
  /// `server db1 (127.0.0.1:3306)`, then `, database moodle` when one was selected.
  std::string describe() const override;
  /// The error number of the last statement; 0 when it succeeded.
  int last_errno() const;

private:
  Error statement_error() const;
  Status discard_more_results();

  st_mysql* m_handle;
  std::string m_description;
};

/// Opens `MysqlConnection`s. Sessions use utf8mb4, a 10 s connect timeout, no
/// `LOAD DATA LOCAL`, one statement per call, and an `sql_mode` without
/// `NO_BACKSLASH_ESCAPES` so that `vmoodle::sql` escaping holds whatever the server's
/// global mode is. Thread-safe: each call makes its own connection.
class MysqlConnector : public Connector {
public:
  /// Initialises libmariadb once per process.
  MysqlConnector();

  /// Connects through `server.socket` when set, else over TCP to `server.host` and
  /// `server.port`. Errors name the server and say what to check; they never hold
  /// the password.
  Result<std::unique_ptr<Connection>> connect(const model::Server& server, const Secret& password,
                                              const std::string& database) override;
  /// Same as `connect`, keeping the concrete type (for `last_errno()`).
  Result<std::unique_ptr<MysqlConnection>> open(const model::Server& server, const Secret& password,
                                                const std::string& database);
};

} // namespace vmoodle::db
