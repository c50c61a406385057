#pragma once

#include <string>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/util/error.hpp"

// libmariadb's handle type (`MYSQL`); <mysql.h> stays inside the .cpp files.
struct st_mysql;

namespace vmoodle::db {

/// libmariadb's TLS error (`CR_SSL_CONNECTION_ERROR`).
inline constexpr int k_tls_connection_error = 2026;

/// Sets the TLS options of `server.ssl_mode` on a handle not yet connected:
/// `disabled` sets none; `preferred` asks for TLS without requiring it; `required`,
/// `verify_ca` and `verify_identity` ask for it; a CA given (`ssl_ca`) makes the
/// certificate chain checked, and `verify_identity` adds the host name check.
/// libmariadb falls back to a plain session when a server offers no TLS unless it
/// verifies the certificate; `check_tls_session` closes that gap.
void set_tls_options(st_mysql* handle, const model::Server& server);

/// After connecting: fails when `server.ssl_mode` requires TLS and the session is
/// plain, naming the server (`where`) and what to do.
Status check_tls_session(st_mysql* handle, const model::Server& server, const std::string& where);

/// What to check when a connection failed with `number` under `server`'s TLS settings;
/// empty when the error is not about TLS.
std::string tls_hint(const model::Server& server, unsigned number);

} // namespace vmoodle::db
