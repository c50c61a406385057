#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "vmoodle/apply/scheduler.hpp"
#include "vmoodle/util/error.hpp"

namespace vmoodle::apply {

/// How one run of the executor ended, change by change.
struct ExecutionResult {
  std::vector<ChangeState> states;
  std::map<std::size_t, Error> errors; ///< by change index, for failed changes
  /// For skipped changes: the failed change that caused the skip.
  std::map<std::size_t, std::size_t> skipped_because;
};

/// Runs `nodes.size()` tasks on worker threads in dependency order under the
/// scheduler's limits. `run(i)` does task i; a failed task skips its dependents,
/// independent tasks go on. Returns when every task is done, failed or skipped.
ExecutionResult execute(std::vector<Scheduler::Node> nodes, int parallelism,
                        std::map<std::string, int> server_limits,
                        const std::function<Status(std::size_t)>& run);

} // namespace vmoodle::apply
