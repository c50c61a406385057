#include "vmoodle/plan/hooks.hpp"

#include <algorithm>
#include <iterator>

namespace vmoodle::plan {
namespace {

struct HookTableEntry {
  Action action;
  HookPoint point;
};

// The one place that says which action runs which hook.
constexpr HookTableEntry k_hook_table[] = {
    {Action::create, {"after_create", HookPhase::after}},
    {Action::update, {"after_update", HookPhase::after}},
    {Action::migrate, {"after_migrate", HookPhase::after}},
    {Action::configure, {"after_config", HookPhase::after}},
    {Action::destroy, {"before_destroy", HookPhase::before}},
};

} // namespace

std::optional<HookPoint> hook_point(Action action) {
  const auto* found =
      std::find_if(std::begin(k_hook_table), std::end(k_hook_table),
                   [action](const HookTableEntry& e) { return e.action == action; });
  if (found == std::end(k_hook_table)) {
    return std::nullopt;
  }
  return found->point;
}

void attach_hooks(Plan& plan, const model::Fleet& fleet) {
  for (auto& change : plan.changes) {
    const auto point = hook_point(change.action);
    const model::Host* host = fleet.find_host(change.vhostname);
    if (!point || host == nullptr) {
      continue;
    }
    auto it = host->hooks.find(point->hook);
    if (it == host->hooks.end()) {
      continue;
    }
    for (const auto& command : it->second) {
      change.hooks.push_back({point->hook, command.argv, command.timeout_seconds});
    }
  }
}

} // namespace vmoodle::plan
