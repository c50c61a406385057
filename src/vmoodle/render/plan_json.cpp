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
    host["resume"] = change.resume;
    host["depends_on"] = change.depends_on;
    if (change.action == plan::Action::create) {
      host["template"] = change.template_name;
    }
    if (change.action == plan::Action::snapshot || change.action == plan::Action::destroy) {
      host["snapshot"] = change.snapshot;
    }
    if (change.action == plan::Action::snapshot) {
      host["replace"] = change.replace;
    }
    if (change.migration) {
      const auto& m = *change.migration;
      json tables = json::array();
      for (const auto& t : m.tables) {
        tables.push_back({{"table", t.table},
                          {"engine", {{"from", t.engine_from}, {"to", t.engine_to}}},
                          {"collation", {{"from", t.collation_from}, {"to", t.collation_to}}},
                          {"row_format", {{"from", t.row_format_from}, {"to", t.row_format_to}}},
                          {"bytes", t.bytes}});
      }
      host["migration"] = {{"database_default",
                            {{"charset", {{"from", m.charset_from}, {"to", m.charset_to}}},
                             {"collation", {{"from", m.collation_from}, {"to", m.collation_to}}}}},
                           {"bytes", m.bytes()},
                           {"tables", std::move(tables)}};
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
