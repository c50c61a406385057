#include "vmoodle/live/catalog_queries.hpp"

#include "vmoodle/live/row_values.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::live {

Result<std::vector<model::RegistryRow>> read_registry(db::Connection& conn,
                                                      const model::Master& master) {
  const std::string table = sql::ident(master.database, master.registry_table());
  auto result = conn.query("SELECT id, name, shortname, description, vhostname, vdbtype, vdbhost, "
                           "vdblogin, vdbpass, vdbname, vdbprefix, vdbpersist, vdatapath, mnet, "
                           "enabled, timecreated, metadata FROM " +
                           table + " ORDER BY id");
  if (!result) {
    Error error = result.error();
    error.message = "cannot read the VMoodle registry " + master.database + "." +
                    master.registry_table() + ": " + error.message;
    error.hint = "check master.database and master.prefix, and that local_vmoodle is installed";
    return tl::unexpected(std::move(error));
  }
  std::vector<model::RegistryRow> rows;
  rows.reserve(result->rows.size());
  for (const auto& r : result->rows) {
    model::RegistryRow row;
    row.id = number(r, 0);
    row.name = text(r, 1);
    row.shortname = text(r, 2);
    row.description = text(r, 3);
    row.vhostname = text(r, 4);
    row.vdbtype = text(r, 5);
    row.vdbhost = text(r, 6);
    row.vdblogin = text(r, 7);
    row.vdbpass = text(r, 8);
    row.vdbname = text(r, 9);
    row.vdbprefix = text(r, 10);
    row.vdbpersist = static_cast<int>(number(r, 11));
    row.vdatapath = text(r, 12);
    row.mnet = static_cast<int>(number(r, 13));
    row.enabled = static_cast<int>(number(r, 14));
    row.timecreated = number(r, 15);
    row.metadata = text(r, 16);
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<model::MasterIdentity> read_master_identity(db::Connection& conn,
                                                   const model::Master& master) {
  model::MasterIdentity identity;
  // One statement: the site name and the self mnet_host row, NULLs when absent.
  auto result = conn.query(
      "SELECT h.wwwroot, h.ip_address, h.public_key, h.applicationid, h.public_key_expires, "
      "(SELECT c.fullname FROM " +
      sql::ident(master.database, master.prefix + "course") +
      " c WHERE c.id = 1) FROM (SELECT 1) one LEFT JOIN " +
      sql::ident(master.database, master.prefix + "mnet_host") +
      " h ON h.wwwroot = " + sql::literal(master.wwwroot) + " AND h.deleted = 0 LIMIT 1");
  if (!result) {
    // A master without these tables is not a Moodle; creation will say what is missing.
    return identity;
  }
  if (!result->rows.empty()) {
    const auto& r = result->rows.front();
    identity.has_mnet_host = r[0].has_value();
    identity.wwwroot = text(r, 0);
    identity.ip_address = text(r, 1);
    identity.public_key = text(r, 2);
    identity.applicationid = number(r, 3);
    identity.public_key_expires = number(r, 4);
    identity.site_fullname = text(r, 5);
  }
  return identity;
}

Result<std::string> read_server_version(db::Connection& conn) {
  VM_TRY_ASSIGN(auto result, conn.query("SELECT @@version"));
  return result.rows.empty() ? std::string() : text(result.rows.front(), 0);
}

int read_server_processors(db::Connection& conn) {
  // Only a hint: a server without the variable (MySQL, Windows builds) is not an error.
  auto result = conn.query("SELECT @@thread_pool_size");
  if (!result || result->rows.empty()) {
    return 0;
  }
  return static_cast<int>(number(result->rows.front(), 0));
}

bool is_mariadb_version(const std::string& version) {
  return version.find("MariaDB") != std::string::npos;
}

Result<std::map<std::string, model::DatabaseFacts>>
read_databases(db::Connection& conn, const std::set<std::string>& databases,
               const std::string& server_version) {
  std::map<std::string, model::DatabaseFacts> facts;
  if (databases.empty()) {
    return facts;
  }
  const bool mariadb = is_mariadb_version(server_version);
  const std::string names = in_list(databases);

  // SCHEMA_COMMENT exists on MariaDB ≥ 10.5 only; MySQL has no schema comments.
  auto schemata =
      conn.query(std::string("SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, "
                             "DEFAULT_COLLATION_NAME, ") +
                 (mariadb ? "SCHEMA_COMMENT" : "''") +
                 " FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (" + names + ")");
  if (!schemata) {
    return tl::unexpected(schemata.error());
  }
  for (const auto& r : schemata->rows) {
    auto& db = facts[text(r, 0)];
    db.exists = true;
    db.charset = text(r, 1);
    db.collation = text(r, 2);
    db.comment = text(r, 3);
  }

  auto tables = conn.query("SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_COLLATION, "
                           "DATA_LENGTH, INDEX_LENGTH FROM information_schema.TABLES WHERE "
                           "TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (" +
                           names + ") ORDER BY TABLE_SCHEMA, TABLE_NAME");
  if (!tables) {
    return tl::unexpected(tables.error());
  }
  std::map<std::pair<std::string, std::string>, model::TableFacts*> by_name;
  for (const auto& r : tables->rows) {
    auto& db = facts[text(r, 0)];
    model::TableFacts table;
    table.name = text(r, 1);
    table.engine = text(r, 2);
    table.collation = text(r, 3);
    table.data_length = static_cast<std::uint64_t>(number(r, 4));
    table.index_length = static_cast<std::uint64_t>(number(r, 5));
    db.tables.push_back(std::move(table));
  }
  for (auto& [name, db] : facts) {
    for (auto& table : db.tables) {
      by_name[{name, table.name}] = &table;
    }
  }

  // Identifiers here are validated [A-Za-z0-9_], so the dictionary's `db/table`
  // names need no filename decoding.
  const std::string dictionary =
      mariadb ? "information_schema.INNODB_SYS_TABLES" : "information_schema.INNODB_TABLES";
  auto formats = conn.query("SELECT NAME, ROW_FORMAT FROM " + dictionary +
                            " WHERE SUBSTRING_INDEX(NAME, '/', 1) IN (" + names + ")");
  if (!formats) {
    return tl::unexpected(formats.error());
  }
  for (const auto& r : formats->rows) {
    const std::string full = text(r, 0);
    auto slash = full.find('/');
    if (slash == std::string::npos) {
      continue;
    }
    auto it = by_name.find({full.substr(0, slash), full.substr(slash + 1)});
    if (it != by_name.end()) {
      it->second->row_format = text(r, 1);
    }
  }

  // Column collations, counted per table: a table whose default is at target may still
  // hold columns that are not. Aggregated so the answer stays small on big fleets.
  auto columns = conn.query("SELECT TABLE_SCHEMA, TABLE_NAME, COLLATION_NAME, COUNT(*) FROM "
                            "information_schema.COLUMNS WHERE TABLE_SCHEMA IN (" +
                            names + ") AND COLLATION_NAME IS NOT NULL GROUP BY 1, 2, 3");
  if (!columns) {
    return tl::unexpected(columns.error());
  }
  for (const auto& r : columns->rows) {
    auto it = by_name.find({text(r, 0), text(r, 1)});
    if (it != by_name.end()) {
      it->second->column_collations[text(r, 2)] += static_cast<int>(number(r, 3));
    }
  }
  return facts;
}

} // namespace vmoodle::live
