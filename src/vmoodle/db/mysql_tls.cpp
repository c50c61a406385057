#include "vmoodle/db/mysql_tls.hpp"

#include <mysql.h>

namespace vmoodle::db {

namespace {

bool requires_tls(model::SslMode mode) {
  return mode == model::SslMode::required || mode == model::SslMode::verify_ca ||
         mode == model::SslMode::verify_identity;
}

const char* or_null(const std::string& value) {
  return value.empty() ? nullptr : value.c_str();
}

} // namespace

void set_tls_options(st_mysql* handle, const model::Server& server) {
  if (server.ssl_mode == model::SslMode::disabled) {
    return;
  }
  // Asks for TLS; libmariadb 3.x still accepts a server that offers none, which
  // check_tls_session() refuses for the modes that require it.
  my_bool use_tls = 1;
  mysql_optionsv(handle, MYSQL_OPT_SSL_ENFORCE, &use_tls);
  // A CA makes OpenSSL verify the chain (SSL_VERIFY_PEER); the host name is checked
  // only with MYSQL_OPT_SSL_VERIFY_SERVER_CERT.
  if (!server.ssl_ca.empty()) {
    mysql_optionsv(handle, MYSQL_OPT_SSL_CA, server.ssl_ca.c_str());
  }
  if (!server.ssl_cert.empty()) {
    mysql_optionsv(handle, MYSQL_OPT_SSL_CERT, or_null(server.ssl_cert));
    mysql_optionsv(handle, MYSQL_OPT_SSL_KEY, or_null(server.ssl_key));
  }
  my_bool verify_identity = server.ssl_mode == model::SslMode::verify_identity ? 1 : 0;
  mysql_optionsv(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify_identity);
}

Status check_tls_session(st_mysql* handle, const model::Server& server, const std::string& where) {
  if (!requires_tls(server.ssl_mode)) {
    return {};
  }
  const char* cipher = mysql_get_ssl_cipher(handle);
  if (cipher != nullptr && *cipher != '\0') {
    return {};
  }
  return fail(ErrorKind::db,
              "the server offers no TLS, and ssl_mode " + model::to_string(server.ssl_mode) +
                  " requires it",
              where,
              "enable TLS on the server (ssl_cert, ssl_key in its configuration), or set "
              "ssl_mode: preferred for this server if a plain connection is acceptable");
}

std::string tls_hint(const model::Server& server, unsigned number) {
  if (number != k_tls_connection_error) {
    return {};
  }
  if (server.ssl_mode == model::SslMode::verify_identity) {
    return "the server's certificate must be signed by " + server.ssl_ca + " and name " +
           (server.socket.empty() ? server.host : std::string("the server's host")) +
           "; check ssl_ca, or the certificate's subject (CN/subjectAltName)";
  }
  if (!server.ssl_ca.empty()) {
    return "the server's certificate must be signed by the CA in " + server.ssl_ca +
           "; check ssl_ca (ssl_mode " + model::to_string(server.ssl_mode) + ")";
  }
  return "the TLS handshake failed (ssl_mode " + model::to_string(server.ssl_mode) +
         "); check that the server has TLS enabled";
}

} // namespace vmoodle::db
