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
};

/// What happened to each host.
struct ApplyReport {
  std::vector<std::string> done;
  std::vector<std::string> failed;
  std::vector<Error> errors; ///< one per failed host
  bool ok() const { return failed.empty(); }
};

/// Carries out `plan` (made from `fleet` and `live`) under the apply lock. A host
/// that fails does not stop the others; its error is in the report. Fails as a
/// whole only when nothing could start (no master connection, lock held).
Result<ApplyReport> apply_plan(const plan::Plan& plan, const model::Fleet& fleet,
                               const model::LiveState& live, Effects effects,
                               const ApplyOptions& options);

} // namespace vmoodle::apply
