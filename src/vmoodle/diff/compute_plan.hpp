#pragma once

#include <map>
#include <string>
#include <vector>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle::diff {

struct PlanOptions {
  /// Limit to these vhostnames (`--host`); empty means every host.
  std::vector<std::string> only_hosts;
  /// Declared snapshots to take again although their template exists (`--replace`).
  std::vector<std::string> replace_snapshots;
  /// Most hosts one plan may destroy (`--max-destroy`).
  int max_destroy = 5;
};

/// Compares the manifest with live state. Pure: no I/O.
///
/// Changes come in execution order with their dependencies (`depends_on`): a
/// snapshot before the creates that use it as template, a host's create or
/// migration before a snapshot taken from it.
///
/// `passwords` maps each selected present host's vhostname to its resolved
/// `db_password`. Returns the plan, or an Error whose `causes` list every conflict
/// found (duplicate registry rows, foreign databases or dataroots in the way of a
/// create, missing templates, unsupported moves, unknown `--host`), all at once.
Result<plan::Plan> compute_plan(const model::Fleet& fleet, const model::LiveState& live,
                                const std::map<std::string, Secret>& passwords,
                                const PlanOptions& options);

/// Hosts `--host` selects, or an error naming each unknown one.
Result<std::vector<const model::Host*>> select_hosts(const model::Fleet& fleet,
                                                     const std::vector<std::string>& only_hosts);

} // namespace vmoodle::diff
