#pragma once

#include <functional>
#include <optional>
#include <string>

#include "vmoodle/apply/action_context.hpp"
#include "vmoodle/platform/process_runner.hpp"

namespace vmoodle::apply {

/// Why a finished hook command counts as failed, or nothing when it succeeded: a
/// non-zero exit, a signal, its timeout, or VMoodle's "No configuration for this host"
/// in its output (VMoodle's die() exits 0, so the status alone would pass).
std::optional<std::string> hook_failure(const platform::ProcessResult& result);

/// Runs `change.hooks` in order, each as step `hook NAME[N]` of the change's host
/// through ctx.effects.processes. The first failure stops the rest and is returned with
/// the command, the reason and the end of its output.
Status run_hooks(const plan::HostChange& change, const ActionContext& ctx);

/// Runs `action` (the change's own work) with the change's hooks around it: a `before`
/// hook that fails stops the action; `after` hooks run once the action succeeded.
Status with_hooks(const plan::HostChange& change, const ActionContext& ctx,
                  const std::function<Status()>& action);

} // namespace vmoodle::apply
