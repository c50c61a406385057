#pragma once

#include "vmoodle/apply/action_context.hpp"

namespace vmoodle::apply {

/// Creates one host from its template, in VMoodle's order: database, template
/// load, fix-up SQL, dataroot, registry row last. Until the row is written the
/// database and dataroot carry the tool's creation marks, so an interrupted create
/// is recognised and redone by the next apply.
Status create_host(const plan::HostChange& change, const ActionContext& ctx);

} // namespace vmoodle::apply
