#pragma once

#include <optional>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/plan/plan.hpp"

namespace vmoodle::plan {

/// Whether a hook runs before or after its change's action.
enum class HookPhase { before, after };

/// The manifest hook an action runs, and when.
struct HookPoint {
  const char* hook;
  HookPhase phase;
};

/// The hook `action` runs: create → after_create, update → after_update, migrate →
/// after_migrate, configure → after_config, destroy → before_destroy; none for snapshot.
std::optional<HookPoint> hook_point(Action action);

/// Fills each change's `hooks` with the commands its host declares for its hook point,
/// so that the plan shows, saves and applies them.
void attach_hooks(Plan& plan, const model::Fleet& fleet);

} // namespace vmoodle::plan
