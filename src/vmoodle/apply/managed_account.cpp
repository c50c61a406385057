#include "vmoodle/apply/managed_account.hpp"

#include <openssl/rand.h>

#include <array>

#include "vmoodle/sql/quote.hpp"
#include "vmoodle/util/redact.hpp"

namespace vmoodle::apply {

namespace {

constexpr std::string_view k_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// The database name as a GRANT reads it: `_` and `%` are wildcards there.
std::string grant_pattern(const std::string& database) {
  std::string out;
  for (char c : database) {
    if (c == '_' || c == '%') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// Whether one line of SHOW GRANTS is a privilege this tool gave, or none at all.
bool is_own_grant(const std::string& line, const model::Host& host) {
  const std::string usage = "GRANT USAGE ON *.* TO ";
  const std::string own =
      "GRANT ALL PRIVILEGES ON " + sql::ident(grant_pattern(host.database)) + ".* TO ";
  return line.starts_with(usage) || line.starts_with(own);
}

Error without_statement(Error error, const Secret& password, const model::Host& host) {
  error = redact(std::move(error), password);
  error.where = "account " + account_name(host) + (error.where.empty() ? "" : ", " + error.where);
  return error;
}

} // namespace

Result<Secret> generate_account_password() {
  std::string out;
  out.reserve(k_account_password_length);
  std::array<unsigned char, 64> bytes{};
  while (out.size() < k_account_password_length) {
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      return fail(ErrorKind::internal, "the system's random source failed", "",
                  "check /dev/urandom and run again");
    }
    for (unsigned char byte : bytes) {
      // 62 * 4 = 248: bytes from 248 up are dropped so that every character is as likely.
      if (byte < 248 && out.size() < k_account_password_length) {
        out += k_alphabet[byte % k_alphabet.size()];
      }
    }
  }
  return Secret(std::move(out));
}

std::string account_name(const model::Host& host) {
  return sql::literal(host.db_user) + "@" + sql::literal(host.db_user_host);
}

std::string grant_database_sql(const model::Host& host) {
  return "GRANT ALL PRIVILEGES ON " + sql::ident(grant_pattern(host.database)) + ".* TO " +
         account_name(host);
}

std::string drop_account_sql(const model::Host& host) {
  return "DROP USER IF EXISTS " + account_name(host);
}

Status check_account_droppable(db::Connection& conn, const model::Host& host) {
  VM_TRY_ASSIGN(auto existing, conn.query("SELECT COUNT(*) FROM mysql.user WHERE User = " +
                                          sql::literal(host.db_user) +
                                          " AND Host = " + sql::literal(host.db_user_host)));
  if (existing.rows.empty() || existing.rows.front()[0].value_or("0") == "0") {
    return {};
  }
  VM_TRY_ASSIGN(auto grants, conn.query("SHOW GRANTS FOR " + account_name(host)));
  for (const auto& row : grants.rows) {
    if (row.empty() || !row[0] || !is_own_grant(*row[0], host)) {
      return fail(ErrorKind::unsafe,
                  "account " + account_name(host) + " holds privileges beyond database " +
                      host.database + ", so other sites may use it",
                  "host " + host.vhostname,
                  "destroy drops only an account of the host's own; revoke its other privileges "
                  "or set manage_db_user: false for this host");
    }
  }
  return {};
}

Status ensure_account(db::Connection& conn, const model::Host& host, const Secret& password,
                      bool resuming) {
  if (!sql::is_identifier(host.db_user) || !sql::is_identifier(host.database)) {
    return fail(ErrorKind::unsafe, "db_user or database is not a plain identifier",
                "host " + host.vhostname, "use letters, digits and _ only");
  }
  VM_TRY_ASSIGN(auto existing, conn.query("SELECT COUNT(*) FROM mysql.user WHERE User = " +
                                          sql::literal(host.db_user) +
                                          " AND Host = " + sql::literal(host.db_user_host)));
  const bool exists = !existing.rows.empty() && existing.rows.front()[0].value_or("0") != "0";
  const std::string identified = " IDENTIFIED BY " + sql::literal(password.reveal());
  if (exists) {
    const std::string refusal = "account " + account_name(host) + " already exists";
    if (!resuming) {
      return fail(ErrorKind::conflict, refusal + ", and this create did not make it",
                  "host " + host.vhostname,
                  "vmoodle-apply manages only accounts it creates: drop the account, or choose "
                  "another db_user");
    }
    VM_TRY_ASSIGN(auto grants, conn.query("SHOW GRANTS FOR " + account_name(host)));
    for (const auto& row : grants.rows) {
      if (row.empty() || !row[0] || !is_own_grant(*row[0], host)) {
        return fail(ErrorKind::conflict,
                    refusal + " with privileges beyond database " + host.database,
                    "host " + host.vhostname,
                    "it is not one an interrupted create left: drop it, or choose another "
                    "db_user");
      }
    }
    auto altered = conn.execute("ALTER USER " + account_name(host) + identified);
    if (!altered) {
      return tl::unexpected(without_statement(altered.error(), password, host));
    }
  } else {
    auto created = conn.execute("CREATE USER " + account_name(host) + identified);
    if (!created) {
      return tl::unexpected(without_statement(created.error(), password, host));
    }
  }
  auto granted = conn.execute(grant_database_sql(host));
  if (!granted) {
    return tl::unexpected(without_statement(granted.error(), password, host));
  }
  return {};
}

} // namespace vmoodle::apply
