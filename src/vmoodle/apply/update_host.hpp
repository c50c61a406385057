#pragma once

#include "vmoodle/apply/effects.hpp"
#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"

namespace vmoodle::apply {

/// Writes exactly the registry columns `change` lists, nothing else.
Status update_host(const plan::HostChange& change, const model::Fleet& fleet,
                   const model::LiveState& live, db::Connection& master, Effects effects);

} // namespace vmoodle::apply
