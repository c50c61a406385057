#pragma once

#include <string>
#include <vector>

#include "vmoodle/plan/plan.hpp"

namespace vmoodle::diff {

/// One thing that changed outside the tool.
struct DriftItem {
  std::string host;   ///< vhostname
  std::string kind;   ///< `registry`, `tables`, `settings`, `database default`, `missing`,
                      ///< `unmanaged`
  std::string detail; ///< e.g. `name: "Old" (live) != "New" (manifest)`
};

/// What in `plan` is drift — registry fields edited by hand, tables off target,
/// missing databases or dataroots of registered hosts, unmanaged registry rows — as
/// opposed to pending work (hosts to create, destroy or snapshot).
std::vector<DriftItem> drift_items(const plan::Plan& plan);

} // namespace vmoodle::diff
