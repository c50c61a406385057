#pragma once

#include "vmoodle/cli/options.hpp"
#include "vmoodle/cli/workspace.hpp"

namespace vmoodle::cli {

/// Prints `plan` on stdout in `options.format` (markdown within `options.max_bytes`).
void print_plan(const plan::Plan& plan, const Options& options);

/// The apply lock of the fleet in `manifest_path`, held until the returned
/// connection closes; taken before live state is read so that the plan is made from
/// state no other apply is changing.
Result<std::unique_ptr<db::Connection>> lock_fleet(Adapters& adapters, const Options& options);

/// Applies `plan` (the caller holds the lock) with the console reporter, prints errors, skips and
/// the summary line; returns the exit code.
int run_apply(Adapters& adapters, const plan::Plan& plan, const model::Fleet& fleet,
              const model::LiveState& live, const Options& options);

/// Writes the plan file of `plan --out` (0600, no secrets, salted fingerprints).
Status write_saved_plan(Adapters& adapters, const Planned& planned, const Options& options);

} // namespace vmoodle::cli
