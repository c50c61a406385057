#pragma once

#include <string>

#include "vmoodle/apply/action_context.hpp"

namespace vmoodle::apply {

/// Where a snapshot is taken from.
struct SnapshotSource {
  std::string server; ///< manifest server name holding the database
  std::string database;
  std::string prefix;   ///< the source host's table prefix → `$templatevdbprefix`
  std::string wwwroot;  ///< the source host's vhostname → `$templatewwwroot`
  std::string dataroot; ///< the source host's dataroot
};

/// Writes template `name` in VMoodle's layout under `<master dataroot>/vmoodle/`:
/// `<name>_sql/vmoodle_master.sql` (one consistent transaction, loadable by the stock
/// client into any database), `<name>_sql/manifest.php`, and `<name>_vmoodledata/`
/// (the dataroot without sessions/, temp/, cache/ and any nested vmoodle folder).
/// Everything is written under temporary names and renamed into place when complete,
/// so a half-written snapshot is never taken for a template. `replace` allows an
/// existing template of that name to be swapped out. No password in any file.
Status take_snapshot(const SnapshotSource& source, const std::string& name, bool replace,
                     const ActionContext& ctx);

/// The `snapshot` action: `change.snapshot` from host `change.vhostname`.
Status snapshot_host(const plan::HostChange& change, const ActionContext& ctx);

} // namespace vmoodle::apply
