#pragma once

#include <string>
#include <vector>

#include "vmoodle/apply/effects.hpp"
#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"

namespace vmoodle::apply {

struct ApplyOptions {
  int lock_timeout_seconds = 10;
  int parallelism = 4; ///< changes at once overall; each server also caps at max_parallel
  /// False when the caller already holds the apply lock (taken before refreshing, so
  /// that the plan is made from state no other apply is changing).
  bool take_lock = true;
};

/// What happened to each change, by vhostname (for snapshots: `snapshot.NAME`).
struct ApplyReport {
  std::vector<std::string> done;
  std::vector<std::string> failed;
  std::vector<std::string> skipped; ///< "what (because what failed)"
  std::vector<Error> errors;        ///< one per failed change
  bool ok() const { return failed.empty() && skipped.empty(); }
};

/// Carries out `plan` (made from `fleet` and `live`) under the apply lock, changes
/// in dependency order, independent ones in parallel. A change that fails skips the
/// changes that depend on it and nothing else. Fails as a whole only when nothing
/// could start (no master connection, lock held).
Result<ApplyReport> apply_plan(const plan::Plan& plan, const model::Fleet& fleet,
                               const model::LiveState& live, Effects effects,
                               const ApplyOptions& options);

} // namespace vmoodle::apply
