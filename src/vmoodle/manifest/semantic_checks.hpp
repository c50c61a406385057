#pragma once

#include "vmoodle/manifest/diagnostics.hpp"
#include "vmoodle/manifest/source_map.hpp"
#include "vmoodle/model/fleet.hpp"

namespace vmoodle::manifest {

/// Every rule the schema cannot express, on the resolved fleet, each problem located:
/// host fields (identifiers, VMoodle column widths, vhostname shape, declared server,
/// not the master's database), servers, master and snapshots, then check_uniqueness()
/// and check_dataroots(). Empty values were already reported by resolution and are
/// skipped. `source` locates the keys of servers, master and snapshots.
void check_fleet(const model::Fleet& fleet, const SourceMap& source, Diagnostics& diags);

/// TLS options of servers (`verify_*` need `ssl_ca`, `ssl_cert` with `ssl_key`, no files
/// with `disabled`) and managed accounts of hosts (no `db_password`, `db_user` not the
/// server's own `user`).
void check_security(const model::Fleet& fleet, const SourceMap& source, Diagnostics& diags);
/// vhostname, shortname, session cookie, (server, database) and dataroot are unique
/// across hosts; the later host of a pair is the one reported.
void check_uniqueness(const model::Fleet& fleet, Diagnostics& diags);

/// Each host dataroot is absolute, normalised, strictly below a root, not the master
/// dataroot, the templates folder or inside it, does not contain the master dataroot,
/// and is not inside another host's dataroot.
void check_dataroots(const model::Fleet& fleet, Diagnostics& diags);

} // namespace vmoodle::manifest
