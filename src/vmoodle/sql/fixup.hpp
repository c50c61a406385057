#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "vmoodle/model/live.hpp"

namespace vmoodle::sql {

/// What the post-load fix-up of a new host (VMoodle creation step 1) needs.
struct FixupInput {
  std::string prefix; ///< the new host's table prefix
  std::string name;
  std::string shortname;
  std::string description;
  std::string vhostname;
  std::string sessioncookie;    ///< unique per host, computed by the caller
  std::string template_wwwroot; ///< manifest.php's `$templatewwwroot`
  int mnet = -1;                ///< resolved: -1 off, 0 master only, N sub-network
  /// The master's own mnet_host row and site name. Its ip_address is always used (as
  /// VMoodle does); the rest only when `mnet != -1`, which needs `has_mnet_host`.
  model::MasterIdentity master;
  std::set<std::string> tables; ///< tables present in the new database, with prefix
  std::int64_t now = 0;         ///< Unix time written to timestamps
};

/// The fix-up statements, in execution order, VMoodle's `vmoodle_fix_database` done
/// right: every value passes through literal(), every table through ident(). A
/// statement that uses a table missing from `in.tables` is left out. Meant to run once,
/// right after the template was loaded: the statements are not idempotent.
std::vector<std::string> fixup_statements(const FixupInput& in);

/// Every table (with `prefix`) that fixup_statements() may change; any other table of
/// the new host keeps the template's content.
std::vector<std::string> fixup_changed_tables(const std::string& prefix);

} // namespace vmoodle::sql
