#pragma once

#include <string>
#include <vector>

#include "vmoodle/plan/plan.hpp"

namespace vmoodle::render {

/// An argument vector for display: arguments of plain characters as they are, others
/// quoted() (so that spaces, quotes and control characters show and cannot forge lines).
std::string argv_text(const std::vector<std::string>& argv);

/// `hook after_create[1]`: how plans and apply name the i-th (0-based) command of `run`'s
/// hook.
std::string hook_step(const plan::HookRun& run, std::size_t i);

/// One line per hook command of `change`, each `<indent>hook NAME[N] = ARGV`, with
/// `(timeout Ns)` when not the default. Empty when the change runs no hook.
std::string hook_lines(const plan::HostChange& change, const std::string& indent);

} // namespace vmoodle::render
