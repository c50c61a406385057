#pragma once

#include "vmoodle/apply/action_context.hpp"

namespace vmoodle::apply {

/// Writes exactly the registry columns `change` lists, nothing else.
Status update_host(const plan::HostChange& change, const ActionContext& ctx);

} // namespace vmoodle::apply
