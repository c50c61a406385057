#pragma once

#include "vmoodle/cli/options.hpp"

namespace vmoodle::cli {

/// Each returns the process exit code and prints its own output and errors.
int validate_command(const Options& options);
int plan_command(const Options& options);
int apply_command(const Options& options);
/// `apply FILE`: the saved plan, refused (or, with --skip-stale, trimmed) where live
/// state moved since it was made.
int apply_saved_plan_command(const Options& given);
/// `show FILE`: prints a saved plan.
int show_command(const Options& options);
/// `drift`: what changed outside the tool; 0 none, 2 drift, 1 error.
int drift_command(const Options& options);

} // namespace vmoodle::cli
