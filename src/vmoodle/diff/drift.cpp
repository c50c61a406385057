#include "vmoodle/diff/drift.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "vmoodle/diff/migration_diff.hpp"

namespace vmoodle::diff {

namespace {

// Registry values are anyone's data: JSON-quoted, a newline or escape sequence in one
// cannot forge a line of the report.
std::string quoted(const std::string& value) {
  return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::vector<DriftItem> drift_items(const plan::Plan& plan) {
  std::vector<DriftItem> items;
  for (const auto& change : plan.changes) {
    if (change.action == plan::Action::update) {
      for (const auto& field : change.fields) {
        items.push_back({change.vhostname, "registry",
                         field.column + ": " + quoted(field.before) +
                             " (live) != " + quoted(field.after) + " (manifest)"});
      }
    }
    if (change.action == plan::Action::migrate && change.migration) {
      items.push_back({change.vhostname, "tables", migration_summary(*change.migration)});
    }
    // A host's settings are drift once it exists; before, they are part of its creation.
    const bool after_create =
        std::any_of(change.depends_on.begin(), change.depends_on.end(), [&](std::size_t dep) {
          return plan.changes[dep].action == plan::Action::create;
        });
    if (change.action == plan::Action::configure && !after_create) {
      for (const auto& setting : change.settings) {
        items.push_back({change.vhostname, "settings",
                         model::setting_label(setting.plugin, setting.name) + ": " +
                             (setting.before ? quoted(*setting.before) : std::string("absent")) +
                             " (live) != " + quoted(setting.after) + " (manifest)"});
      }
    }
  }
  for (const auto& warning : plan.warnings) {
    items.push_back({"", "missing", warning});
  }
  for (const auto& host : plan.unmanaged) {
    items.push_back(
        {host.vhostname, "unmanaged",
         "registry row for database " + quoted(host.vdbname) + " is not in the manifest"});
  }
  return items;
}

} // namespace vmoodle::diff
