#include "vmoodle/render/plan_json.hpp"

#include <nlohmann/json.hpp>

namespace vmoodle::render {

std::string plan_json(const plan::Plan& plan) {
  using nlohmann::json;
  json changes = json::array();
  for (const auto& change : plan.changes) {
    json fields = json::array();
    for (const auto& field : change.fields) {
      json entry = {{"column", field.column}, {"sensitive", field.sensitive}};
      if (change.action == plan::Action::update) {
        entry["before"] = field.before;
      }
      entry["after"] = field.after;
      fields.push_back(std::move(entry));
    }
    json host = {{"vhostname", change.vhostname}, {"action", plan::name(change.action)},
                 {"server", change.server},       {"database", change.database},
                 {"dataroot", change.dataroot},   {"fields", std::move(fields)},
                 {"notes", change.notes}};
    if (change.action == plan::Action::create) {
      host["template"] = change.template_name;
      host["resume"] = change.resume;
    }
    changes.push_back(std::move(host));
  }
  json unmanaged = json::array();
  for (const auto& host : plan.unmanaged) {
    unmanaged.push_back(
        {{"vhostname", host.vhostname}, {"vdbname", host.vdbname}, {"vdbhost", host.vdbhost}});
  }
  const auto summary = plan.summary();
  json doc = {{"format_version", 1},
              {"changes", std::move(changes)},
              {"unmanaged", std::move(unmanaged)},
              {"warnings", plan.warnings},
              {"summary",
               {{"create", summary.create},
                {"update", summary.update},
                {"migrate", summary.migrate},
                {"snapshot", summary.snapshot},
                {"destroy", summary.destroy}}}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace vmoodle::render
