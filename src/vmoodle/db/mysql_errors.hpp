#pragma once

#include <charconv>
#include <optional>
#include <string_view>

#include "vmoodle/util/error.hpp"

namespace vmoodle::db {

/// Server and client error numbers that callers branch on (see `mysqld_error.h`,
/// `errmsg.h`). Header-only and free of <mysql.h> so that the core can use it.
namespace mysql_code {
inline constexpr int db_create_exists = 1007;   ///< database exists
inline constexpr int db_drop_exists = 1008;     ///< can't drop: database doesn't exist
inline constexpr int dbaccess_denied = 1044;    ///< access denied to a database
inline constexpr int access_denied = 1045;      ///< wrong user or password
inline constexpr int bad_db = 1049;             ///< unknown database
inline constexpr int table_exists = 1050;       ///< table already exists
inline constexpr int bad_table = 1051;          ///< unknown table
inline constexpr int dup_entry = 1062;          ///< duplicate key value
inline constexpr int parse_error = 1064;        ///< SQL syntax error
inline constexpr int no_such_table = 1146;      ///< table doesn't exist
inline constexpr int tableaccess_denied = 1142; ///< privilege missing on a table
inline constexpr int specific_access_denied = 1227;
inline constexpr int lock_wait_timeout = 1205;
inline constexpr int lock_deadlock = 1213;
inline constexpr int connection_error = 2002; ///< can't connect through the socket
inline constexpr int conn_host_error = 2003;  ///< can't connect to the TCP host
inline constexpr int unknown_host = 2005;
inline constexpr int server_gone = 2006;
inline constexpr int server_lost = 2013;
} // namespace mysql_code

/// The error number of a `db` error made by the MySQL adapter, whose message ends in
/// ` (errno N)`; `std::nullopt` for other errors.
inline std::optional<int> error_number(const Error& error) {
  if (error.kind != ErrorKind::db) {
    return std::nullopt;
  }
  std::string_view message = error.message;
  constexpr std::string_view k_marker = " (errno ";
  auto start = message.rfind(k_marker);
  if (start == std::string_view::npos || message.empty() || message.back() != ')') {
    return std::nullopt;
  }
  auto digits = message.substr(start + k_marker.size());
  digits.remove_suffix(1);
  int number = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc{} || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return number;
}

/// Whether `error` carries the error number `number`.
inline bool has_errno(const Error& error, int number) {
  return error_number(error) == number;
}

/// Wrong user or password, or no access to the database.
inline bool is_access_denied(const Error& error) {
  auto number = error_number(error);
  return number == mysql_code::access_denied || number == mysql_code::dbaccess_denied;
}

/// The server could not be reached, or the connection dropped: nothing is known about
/// what the last statement did.
inline bool is_connection_error(const Error& error) {
  auto number = error_number(error);
  return number == mysql_code::connection_error || number == mysql_code::conn_host_error ||
         number == mysql_code::unknown_host || number == mysql_code::server_gone ||
         number == mysql_code::server_lost;
}

/// Another session holds a lock: retrying later may succeed.
inline bool is_lock_conflict(const Error& error) {
  auto number = error_number(error);
  return number == mysql_code::lock_wait_timeout || number == mysql_code::lock_deadlock;
}

/// The database or table named does not exist.
inline bool is_not_found(const Error& error) {
  auto number = error_number(error);
  return number == mysql_code::bad_db || number == mysql_code::bad_table ||
         number == mysql_code::no_such_table || number == mysql_code::db_drop_exists;
}

} // namespace vmoodle::db
