#include "vmoodle/db/mysql_connector.hpp"

#include <mysql.h>

#include <mutex>
#include <new>

#include "vmoodle/db/mysql_errors.hpp"
#include "vmoodle/db/mysql_tls.hpp"

namespace vmoodle::db {

namespace {

constexpr unsigned k_connect_timeout_seconds = 10;

// Our escaping (`vmoodle::sql::literal`) writes backslash escapes, which a server in
// NO_BACKSLASH_ESCAPES mode would read as literal backslashes: remove the mode from
// this session, keeping whatever else the server's administrator chose.
constexpr std::string_view k_session_setup =
    "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')";

void ensure_library() {
  // mysql_init() would initialise the library lazily, but not thread-safely.
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

struct HandleCloser {
  void operator()(MYSQL* handle) const { mysql_close(handle); }
};
using HandlePtr = std::unique_ptr<MYSQL, HandleCloser>;

struct ResultFreer {
  void operator()(MYSQL_RES* result) const { mysql_free_result(result); }
};
using ResultPtr = std::unique_ptr<MYSQL_RES, ResultFreer>;

std::string error_text(MYSQL* handle) {
  return std::string(mysql_error(handle)) + " (errno " + std::to_string(mysql_errno(handle)) + ")";
}

std::string describe_server(const model::Server& server, const std::string& database) {
  std::string out = "server " + server.describe();
  if (!database.empty()) {
    out += ", database " + database;
  }
  return out;
}

std::string connect_hint(const model::Server& server, unsigned number) {
  std::string password_source =
      server.password ? "the password in " + server.password->describe() : "the password";
  switch (number) {
  case mysql_code::access_denied:
    return "check that the server has a user '" + server.user + "' for this client host and that " +
           password_source + " is the right one";
  case mysql_code::dbaccess_denied:
    return "grant user '" + server.user + "' access to the database, or check its name";
  case mysql_code::bad_db:
    return "check the database name: it does not exist on this server";
  // libmariadb reports a refused TCP connection as 2002 too: go by the transport.
  case mysql_code::connection_error:
  case mysql_code::conn_host_error:
    return server.socket.empty()
               ? "is the server running and listening on " + server.host + ":" +
                     std::to_string(server.port) + "?"
               : "is the server running, and is " + server.socket + " its socket path?";
  case mysql_code::unknown_host:
    return "check the host name " + server.host;
  default:
    return {};
  }
}

std::string statement_hint(unsigned number) {
  switch (number) {
  case mysql_code::server_gone:
  case mysql_code::server_lost:
    return "the connection was lost; check the server, then run again: completed steps are kept";
  case mysql_code::lock_wait_timeout:
  case mysql_code::lock_deadlock:
    return "another session holds a conflicting lock; run again once it is done";
  case mysql_code::tableaccess_denied:
  case mysql_code::specific_access_denied:
  case mysql_code::dbaccess_denied:
    return "grant the connecting user the privilege named above";
  default:
    return {};
  }
}

// The server's message should not hold the password, but a login error that echoes
// input must not be the one place where it leaks.
std::string without_secret(std::string text, const Secret& password) {
  const std::string& value = password.reveal();
  if (value.empty()) {
    return text;
  }
  for (auto at = text.find(value); at != std::string::npos; at = text.find(value, at)) {
    text.replace(at, value.size(), k_sensitive);
    at += std::string_view(k_sensitive).size();
  }
  return text;
}

constexpr unsigned k_binary_charset = 63;

bool is_numeric_type(enum_field_types type) {
  switch (type) {
  case MYSQL_TYPE_DECIMAL:
  case MYSQL_TYPE_NEWDECIMAL:
  case MYSQL_TYPE_TINY:
  case MYSQL_TYPE_SHORT:
  case MYSQL_TYPE_LONG:
  case MYSQL_TYPE_INT24:
  case MYSQL_TYPE_LONGLONG:
  case MYSQL_TYPE_FLOAT:
  case MYSQL_TYPE_DOUBLE:
  case MYSQL_TYPE_YEAR:
    return true;
  default:
    return false;
  }
}

// The types mysqldump --hex-blob writes as hex when their character set is `binary`
// (temporal and numeric columns report that character set too).
bool is_binary_field(const MYSQL_FIELD& field) {
  if (field.charsetnr != k_binary_charset) {
    return false;
  }
  switch (field.type) {
  case MYSQL_TYPE_BIT:
  case MYSQL_TYPE_STRING:
  case MYSQL_TYPE_VAR_STRING:
  case MYSQL_TYPE_VARCHAR:
  case MYSQL_TYPE_TINY_BLOB:
  case MYSQL_TYPE_BLOB:
  case MYSQL_TYPE_MEDIUM_BLOB:
  case MYSQL_TYPE_LONG_BLOB:
  case MYSQL_TYPE_GEOMETRY:
    return true;
  default:
    return false;
  }
}

} // namespace

MysqlConnection::MysqlConnection(st_mysql* handle, std::string description)
    : m_handle(handle), m_description(std::move(description)) {}

MysqlConnection::~MysqlConnection() {
  mysql_close(m_handle);
}

std::string MysqlConnection::describe() const {
  return m_description;
}

int MysqlConnection::last_errno() const {
  return static_cast<int>(mysql_errno(m_handle));
}

Error MysqlConnection::statement_error() const {
  return Error{ErrorKind::db,
               error_text(m_handle),
               m_description,
               statement_hint(mysql_errno(m_handle)),
               {}};
}

Status MysqlConnection::discard_more_results() {
  // Only a CALL can return several results, but a session must never be left
  // with unread ones: the next statement would fail "out of sync".
  while (mysql_more_results(m_handle)) {
    int status = mysql_next_result(m_handle);
    if (status > 0) {
      return tl::unexpected(statement_error());
    }
    if (status < 0) {
      break;
    }
    ResultPtr result(mysql_store_result(m_handle));
  }
  return {};
}

Status MysqlConnection::execute(std::string_view sql) {
  if (mysql_real_query(m_handle, sql.data(), sql.size()) != 0) {
    return tl::unexpected(statement_error());
  }
  // Rows are streamed and dropped so that a large result costs no memory.
  ResultPtr result(mysql_use_result(m_handle));
  if (result) {
    while (mysql_fetch_row(result.get()) != nullptr) {
    }
    if (mysql_errno(m_handle) != 0) {
      return tl::unexpected(statement_error());
    }
  } else if (mysql_field_count(m_handle) != 0) {
    return tl::unexpected(statement_error());
  }
  result.reset();
  return discard_more_results();
}

Result<ResultSet> MysqlConnection::query(std::string_view sql) {
  if (mysql_real_query(m_handle, sql.data(), sql.size()) != 0) {
    return tl::unexpected(statement_error());
  }
  ResultSet set;
  try {
    ResultPtr result(mysql_store_result(m_handle));
    if (!result) {
      if (mysql_field_count(m_handle) != 0) {
        return tl::unexpected(statement_error());
      }
    } else {
      unsigned field_count = mysql_num_fields(result.get());
      MYSQL_FIELD* fields = mysql_fetch_fields(result.get());
      for (unsigned i = 0; i < field_count; ++i) {
        set.columns.emplace_back(fields[i].name, fields[i].name_length);
      }
      set.rows.reserve(mysql_num_rows(result.get()));
      while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
        unsigned long* lengths = mysql_fetch_lengths(result.get());
        Row& out = set.rows.emplace_back();
        out.reserve(field_count);
        for (unsigned i = 0; i < field_count; ++i) {
          if (row[i] == nullptr) {
            out.emplace_back(std::nullopt);
          } else {
            // Values are bytes, NULs included: take the length, not strlen().
            out.emplace_back(std::string(row[i], lengths[i]));
          }
        }
      }
    }
  } catch (const std::bad_alloc&) {
    discard_more_results();
    return tl::unexpected(Error{ErrorKind::db,
                                "the result set does not fit in memory",
                                m_description,
                                "narrow the query",
                                {}});
  }
  VM_TRY(discard_more_results());
  return set;
}

Status MysqlConnection::query_each(std::string_view sql,
                                   const std::function<Status(const Row&)>& on_row,
                                   std::vector<ColumnMeta>* meta) {
  if (mysql_real_query(m_handle, sql.data(), sql.size()) != 0) {
    return tl::unexpected(statement_error());
  }
  Status status;
  try {
    ResultPtr result(mysql_use_result(m_handle));
    if (!result) {
      if (mysql_field_count(m_handle) != 0) {
        return tl::unexpected(statement_error());
      }
      if (meta != nullptr) {
        meta->clear();
      }
      return discard_more_results();
    }
    unsigned field_count = mysql_num_fields(result.get());
    MYSQL_FIELD* fields = mysql_fetch_fields(result.get());
    if (meta != nullptr) {
      meta->clear();
      for (unsigned i = 0; i < field_count; ++i) {
        meta->push_back(ColumnMeta{std::string(fields[i].name, fields[i].name_length),
                                   is_numeric_type(fields[i].type), is_binary_field(fields[i])});
      }
    }
    // One row object reused: its strings keep their capacity from row to row.
    Row out(field_count);
    while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
      unsigned long* lengths = mysql_fetch_lengths(result.get());
      for (unsigned i = 0; i < field_count; ++i) {
        if (row[i] == nullptr) {
          out[i].reset();
        } else {
          if (!out[i]) {
            out[i].emplace();
          }
          out[i]->assign(row[i], lengths[i]);
        }
      }
      status = on_row(out);
      if (!status) {
        break;
      }
    }
    if (status && mysql_errno(m_handle) != 0) {
      status = tl::unexpected(statement_error());
    }
    // Freeing a mysql_use_result result reads and drops the rows not fetched yet.
  } catch (const std::bad_alloc&) {
    status =
        tl::unexpected(Error{ErrorKind::db, "a row does not fit in memory", m_description, {}, {}});
  }
  if (auto more = discard_more_results(); !more && status) {
    return more;
  }
  return status;
}

MysqlConnector::MysqlConnector() {
  ensure_library();
}

Result<std::unique_ptr<Connection>> MysqlConnector::connect(const model::Server& server,
                                                            const Secret& password,
                                                            const std::string& database) {
  VM_TRY_ASSIGN(auto connection, open(server, password, database));
  return std::unique_ptr<Connection>(std::move(connection));
}

Result<std::unique_ptr<MysqlConnection>> MysqlConnector::open(const model::Server& server,
                                                              const Secret& password,
                                                              const std::string& database) {
  ensure_library();
  std::string where = describe_server(server, database);
  HandlePtr handle(mysql_init(nullptr));
  if (!handle) {
    return fail(ErrorKind::db, "cannot allocate a MySQL connection handle", where);
  }
  unsigned timeout = k_connect_timeout_seconds;
  unsigned local_infile = 0;
  unsigned protocol = server.socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
  mysql_optionsv(handle.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
  mysql_optionsv(handle.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_optionsv(handle.get(), MYSQL_OPT_LOCAL_INFILE, &local_infile);
  // Forced so that `host: localhost` means TCP, as written, not the default socket.
  mysql_optionsv(handle.get(), MYSQL_OPT_PROTOCOL, &protocol);
  set_tls_options(handle.get(), server);

  const char* host = server.socket.empty() ? server.host.c_str() : nullptr;
  const char* socket = server.socket.empty() ? nullptr : server.socket.c_str();
  const char* schema = database.empty() ? nullptr : database.c_str();
  if (mysql_real_connect(handle.get(), host, server.user.c_str(), password.reveal().c_str(), schema,
                         server.port, socket, 0) == nullptr) {
    unsigned number = mysql_errno(handle.get());
    std::string hint = tls_hint(server, number);
    return fail(ErrorKind::db, without_secret(error_text(handle.get()), password), where,
                hint.empty() ? connect_hint(server, number) : hint);
  }
  VM_TRY(check_tls_session(handle.get(), server, where));
  if (mysql_real_query(handle.get(), k_session_setup.data(), k_session_setup.size()) != 0) {
    return fail(ErrorKind::db, "cannot set the session sql_mode: " + error_text(handle.get()),
                where);
  }
  return std::make_unique<MysqlConnection>(handle.release(), std::move(where));
}

} // namespace vmoodle::db
