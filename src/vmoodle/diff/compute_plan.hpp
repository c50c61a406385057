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
};

/// Compares the manifest with live state. Pure: no I/O.
///
/// `passwords` maps each selected present host's vhostname to its resolved
/// `db_password`. Returns the plan, or an Error whose `causes` list every conflict
/// found (duplicate registry rows, foreign databases or datarots in the way of a
/// create, missing templates, unsupported moves, unknown `--host`), all at once.
Result<plan::Plan> compute_plan(const model::Fleet& fleet, const model::LiveState& live,
                                const std::map<std::string, Secret>& passwords,
                                const PlanOptions& options);

/// Hosts `--host` selects, or an error naming each unknown one.
Result<std::vector<const model::Host*>> select_hosts(const model::Fleet& fleet,
                                                     const std::vector<std::string>& only_hosts);

} // namespace vmoodle::diff
