#pragma once

#include <set>
#include <string>

#include "vmoodle/db/connection.hpp"
#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"

namespace vmoodle::live {

/// Reads `{prefix}local_vmoodle` in full (it is small: one row per site).
Result<std::vector<model::RegistryRow>> read_registry(db::Connection& conn,
                                                      const model::Master& master);

/// The master's own `mnet_host` row and site name; `has_mnet_host` is false when absent.
Result<model::MasterIdentity> read_master_identity(db::Connection& conn,
                                                   const model::Master& master);

/// The server's `@@version`.
Result<std::string> read_server_version(db::Connection& conn);

/// How many processors a MariaDB server says it has: `@@thread_pool_size`, which MariaDB
/// sizes to them unless told otherwise (Unix builds). 0 when the server does not say.
int read_server_processors(db::Connection& conn);

/// True for a `@@version` string of MariaDB, whose dictionary views refresh reads.
bool is_mariadb_version(const std::string& version);

/// Facts on `databases` of one server in a fixed number of catalog queries, whatever
/// their number of hosts and tables: SCHEMATA, TABLES (without ROW_FORMAT, which opens
/// every table), the InnoDB dictionary for row formats, and COLUMNS aggregated to a
/// count per table and collation. Asking TABLES for sizes opens every table: on MariaDB,
/// refresh reads the same facts from InnoDB's dictionary (innodb_dictionary.hpp).
Result<std::map<std::string, model::DatabaseFacts>>
read_databases(db::Connection& conn, const std::set<std::string>& databases,
               const std::string& server_version);

} // namespace vmoodle::live
