#pragma once

#include "vmoodle/apply/action_context.hpp"

namespace vmoodle::apply {

/// The `migrate` action: after a preflight that alters nothing when it fails, one
/// `ALTER TABLE` per table in `change.migration` carrying only the clauses it needs
/// (ENGINE, ROW_FORMAT, CONVERT TO CHARACTER SET … COLLATE …), each verified after,
/// then `ALTER DATABASE` for the default. Tables already at target are skipped, so an
/// interrupted migration resumes where it stopped.
Status migrate_host(const plan::HostChange& change, const ActionContext& ctx);

} // namespace vmoodle::apply
