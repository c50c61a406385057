#pragma once

#include "vmoodle/apply/action_context.hpp"

namespace vmoodle::apply {

/// The `destroy` action, in an order that an interruption cannot corrupt: final
/// snapshot (`change.snapshot`, unless empty), registry row disabled and marked as
/// being destroyed, database dropped on the host's own server, dataroot removed (only
/// below `dataroot_roots`, never through a symlink), the master's `mnet_host` rows for
/// the host removed, registry row deleted last. Re-running it after an interruption
/// finishes the job.
Status destroy_host(const plan::HostChange& change, const ActionContext& ctx);

} // namespace vmoodle::apply
