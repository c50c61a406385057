#pragma once

#include <string>
#include <vector>

#include "vmoodle/db/connection.hpp"
#include "vmoodle/model/fleet.hpp"
#include "vmoodle/util/error.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle::apply {

/// Length of a generated account password.
inline constexpr std::size_t k_account_password_length = 32;

/// A new password of k_account_password_length letters and digits from the OS's
/// random source (OpenSSL `RAND_bytes`): nothing for PHP's config.php or a shell to
/// escape. Fails only when the random source does.
Result<Secret> generate_account_password();

/// `'db_user'@'db_user_host'` of a managed host, both parts escaped literals.
std::string account_name(const model::Host& host);

/// `GRANT ALL PRIVILEGES ON `database`.* TO <account>`, with `_` escaped in the database
/// name: in a GRANT it is a wildcard, and `m_a` would also grant `mXa`.
std::string grant_database_sql(const model::Host& host);

/// `DROP USER IF EXISTS <account>`.
std::string drop_account_sql(const model::Host& host);

/// Fails (unsafe) when the host's account exists and holds privileges beyond the host's
/// database: then it is not one vmoodle-apply made (a shared account), and destroy must
/// not drop it. A missing account is fine.
Status check_account_droppable(db::Connection& conn, const model::Host& host);

/// Makes the host's account on `conn` (its server) with `password` and grants it its
/// database, nothing more. An account that already exists is taken over only when
/// `resuming` an interrupted create of this host and it holds no privilege beyond
/// this database (its password is then reset); otherwise it is a conflict, since it
/// may serve other sites. Errors never hold the password or the statements.
Status ensure_account(db::Connection& conn, const model::Host& host, const Secret& password,
                      bool resuming);

} // namespace vmoodle::apply
