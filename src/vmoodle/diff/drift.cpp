#include "vmoodle/diff/drift.hpp"

#include "vmoodle/diff/migration_diff.hpp"

namespace vmoodle::diff {

std::vector<DriftItem> drift_items(const plan::Plan& plan) {
  std::vector<DriftItem> items;
  for (const auto& change : plan.changes) {
    if (change.action == plan::Action::update) {
      for (const auto& field : change.fields) {
        items.push_back({change.vhostname, "registry",
                         field.column + ": \"" + field.before + "\" (live) != \"" + field.after +
                             "\" (manifest)"});
      }
    }
    if (change.action == plan::Action::migrate && change.migration) {
      items.push_back({change.vhostname, "tables", migration_summary(*change.migration)});
    }
  }
  for (const auto& warning : plan.warnings) {
    items.push_back({"", "missing", warning});
  }
  for (const auto& host : plan.unmanaged) {
    items.push_back({host.vhostname, "unmanaged",
                     "registry row for database " + host.vdbname + " is not in the manifest"});
  }
  return items;
}

} // namespace vmoodle::diff
