#pragma once

#include <string>
#include <vector>

#include "vmoodle/apply/migration_work.hpp"
#include "vmoodle/db/connection.hpp"

namespace vmoodle::apply {

/// A host's database as a migration reads it when it starts.
struct HostSchema {
  model::DatabaseFacts database; ///< as refresh reads it (same queries)
  std::vector<TableSchema> tables;
};

/// `@@version`, the InnoDB variables the preflight checks and the available engines.
Result<ServerSettings> read_server_settings(db::Connection& conn);

/// Database `database` with each table's columns, index parts and create options, in a
/// fixed number of catalog queries. `database.exists` is false when it does not exist.
Result<HostSchema> read_host_schema(db::Connection& conn, const std::string& database);

/// One table's engine, collations, row format (InnoDB only) and size, read again after
/// its rebuild to verify it. A `conflict` error when the table is gone.
Result<model::TableFacts> read_table_facts(db::Connection& conn, const std::string& database,
                                           const std::string& table);

} // namespace vmoodle::apply
