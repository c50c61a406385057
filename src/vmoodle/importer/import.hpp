#pragma once

#include <string>
#include <vector>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/util/error.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle::importer {

/// One host to write into the manifest, as VMoodle stores it.
struct HostRecord {
  std::string origin;  ///< `registry id 12` or `nodelist.csv:4`: where it came from, for messages
  long long order = 0; ///< registry id or line number: skipped records are listed in this order
  std::string vhostname;
  std::string shortname;
  std::string name;
  std::string description;
  std::string server; ///< name of a server of the base manifest
  std::string database;
  std::string prefix = "mdl_";
  std::string db_type = "mariadb";
  std::string db_user;
  Secret password; ///< only compared, to group hosts by password; never written
  bool db_persist = false;
  std::string dataroot;
  model::Mnet mnet;
  bool enabled = true;
  std::string template_name; ///< empty: none
};

/// How the manifest is written.
struct ImportOptions {
  /// Environment variable of the most common host password (`defaults.db_password`);
  /// hosts with another password get `<this>_<SHORTNAME>`.
  std::string password_env = "MOODLE_DB_PASSWORD";
  /// Said in the header: `the VMoodle registry (mdl_local_vmoodle in moodle on server db1)`;
  /// when empty, manifest_from_registry() says that and the CSV import names the file.
  std::string source;
  /// Who holds the passwords the variables must be set to: `the registry (vdbpass)`.
  std::string password_holder = "the registry (column vdbpass)";
};

/// A registry row or CSV line left out of the manifest, and why.
struct Skipped {
  std::string vhostname;
  std::string origin;
  std::string reason;
  long long order = 0; ///< as HostRecord::order
};

/// An environment variable the manifest refers to for host passwords.
struct PasswordVariable {
  std::string name;
  std::vector<std::string> vhostnames; ///< the hosts whose password it must hold
};

/// A generated manifest and what the operator must know about it.
struct Imported {
  std::string yaml; ///< the manifest text; loads with manifest::load()
  std::size_t hosts = 0;
  std::vector<Skipped> skipped;
  std::vector<PasswordVariable> passwords; ///< the default variable first
  std::vector<std::string> warnings;
};

/// A fleet manifest (YAML text) for the hosts of `rows`, with the servers, master and
/// dataroot_roots of `base`: factored `defaults:` (the most common server, prefix,
/// db_type, db_user, db_persist, mnet, enabled, and `{shortname}`/`{vhost}` patterns for
/// database, db_user and dataroot when they fit most hosts), per-host keys only where a
/// host differs, passwords as `{env: NAME}` references grouped by value (never the
/// values). Hosts are in registry id order.
///
/// Every host is checked by loading the result with manifest::load() and comparing each
/// host with its row: a row the manifest cannot represent exactly (a vhostname with a
/// path, a `vdbhost` that is no server's registry_host, duplicate vhostnames, names
/// with `{placeholders}`, an interrupted destroy...) is left out and listed in
/// `skipped` and in the header; it stays unmanaged. So planning the result against the
/// same live state reports no change for the hosts it contains (with the password
/// variables set). Pure: no I/O. An Error only when the manifest cannot be made at all
/// (ErrorKind::internal).
Result<Imported> manifest_from_registry(const std::vector<model::RegistryRow>& rows,
                                        const model::Fleet& base, const ImportOptions& options);

/// The same for records already mapped to servers (the CSV import). With
/// `skip_invalid` false, a record the manifest cannot represent is an error instead
/// (ErrorKind::manifest, one cause per record, `where` = its origin).
Result<Imported> manifest_from_records(std::vector<HostRecord> records,
                                       std::vector<Skipped> skipped, const model::Fleet& base,
                                       const ImportOptions& options, bool skip_invalid);

/// The server of `base` whose registry_host is `vdbhost` (the master's server first
/// when several are); nullptr when none is.
const model::Server* server_for_vdbhost(const model::Fleet& base, const std::string& vdbhost);

} // namespace vmoodle::importer
