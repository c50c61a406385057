#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vmoodle/model/settings.hpp"

namespace vmoodle::model {

/// One row of `{prefix}local_vmoodle`, NULL read as empty.
struct RegistryRow {
  std::int64_t id = 0;
  std::string name;
  std::string shortname;
  std::string description;
  std::string vhostname;
  std::string vdbtype;
  std::string vdbhost;
  std::string vdblogin;
  std::string vdbpass;
  std::string vdbname;
  std::string vdbprefix;
  int vdbpersist = 0;
  std::string vdatapath;
  int mnet = 0;
  int enabled = 1;
  std::int64_t timecreated = 0;
  std::string metadata; ///< holds the tool's destroying mark while a destroy is under way
};

/// One table of a managed database, from `information_schema`.
struct TableFacts {
  std::string name;
  std::string engine;
  std::string collation;
  std::string row_format; ///< from INNODB_SYS_TABLES on MariaDB; empty for non-InnoDB
  std::uint64_t data_length = 0;
  std::uint64_t index_length = 0;
  /// Collation → number of the table's text columns that use it (`CONVERT TO` sets them
  /// all; a table default at target may still hide columns that are not).
  std::map<std::string, int> column_collations;
};

/// A managed database on one server.
struct DatabaseFacts {
  bool exists = false;
  std::string charset;
  std::string collation;
  std::string comment; ///< SCHEMA_COMMENT (MariaDB ≥ 10.5): carries the tool's creation marker
  std::vector<TableFacts> tables;
};

/// A host's dataroot on disk.
struct DatarootFacts {
  bool exists = false;
  bool is_dir = false;
  bool is_symlink = false;
  bool escapes_root = false; ///< resolves outside every `dataroot_roots` entry
  std::string creating_for;  ///< vhostname in the tool's creation marker, if any
};

/// A `<T>_sql` / `<T>_vmoodledata` pair in the master's templates folder.
struct TemplateFacts {
  std::string name;
  bool has_sql_dir = false;
  bool has_data_dir = false;
  bool has_dump = false;     ///< `<T>_sql/vmoodle_master.sql`
  bool has_manifest = false; ///< `<T>_sql/manifest.php`
  std::string wwwroot;       ///< `$templatewwwroot`
  std::string prefix;        ///< `$templatevdbprefix`

  bool usable() const { return has_sql_dir && has_data_dir && has_dump && has_manifest; }
};

/// The master's own `mnet_host` row and site name: creation copies them into new hosts.
struct MasterIdentity {
  bool has_mnet_host = false;
  std::string wwwroot;
  std::string ip_address;
  std::string public_key;
  std::int64_t applicationid = 1;
  std::int64_t public_key_expires = 0;
  std::string site_fullname;
};

/// (server name, database name)
using DatabaseKey = std::pair<std::string, std::string>;

/// Everything refresh read. Plan only reads it; apply re-reads it.
struct LiveState {
  std::vector<RegistryRow> registry;
  std::map<DatabaseKey, DatabaseFacts> databases;
  std::map<std::string, DatarootFacts> dataroots;
  std::map<std::string, TemplateFacts> templates;
  MasterIdentity master;
  std::map<std::string, std::string> server_versions; ///< server name → `@@version`
  /// Managed site settings of each host database that exists, by (server, database).
  std::map<DatabaseKey, SettingsFacts> settings;

  /// Registry rows whose `vhostname` is exactly `vhostname` (VMoodle has no unique index).
  std::vector<const RegistryRow*> rows_for(const std::string& vhostname) const;
  const DatabaseFacts* database(const std::string& server, const std::string& name) const;
  const DatarootFacts* dataroot(const std::string& path) const;
  const TemplateFacts* find_template(const std::string& name) const;
  const SettingsFacts* settings_of(const std::string& server, const std::string& database) const;
};

} // namespace vmoodle::model
