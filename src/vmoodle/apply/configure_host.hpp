#pragma once

#include <string>
#include <vector>

#include "vmoodle/apply/action_context.hpp"

namespace vmoodle::apply {

/// The statements that bring one managed setting of `change` to its value, given the
/// value the row holds now (nullopt: no row): an UPDATE of that one row, an INSERT,
/// or nothing when it already holds the value. Names and values are escaped literals.
std::vector<std::string> setting_statements(const std::string& database, const std::string& prefix,
                                            const plan::SettingChange& setting,
                                            const std::optional<std::string>& current);

/// Dataroot folders whose contents the purge removes: Moodle's `$CFG->cachedir` and
/// `$CFG->localcachedir` at their default places.
std::vector<std::string> cache_dirs(const std::string& dataroot);

/// Writes the settings `change` lists into the host's own database, in one
/// transaction: each row is read again under a lock and written only when it still
/// differs (UPDATE of that row, or INSERT when absent); no other row is touched. When
/// a row was written, purges the host's file caches: removes what
/// `<dataroot>/cache` and `<dataroot>/localcache` hold (below `dataroot_roots`
/// only, symlinks unlinked, never followed). Steps `settings`, `purge caches`.
Status configure_host(const plan::HostChange& change, const ActionContext& ctx);

} // namespace vmoodle::apply
