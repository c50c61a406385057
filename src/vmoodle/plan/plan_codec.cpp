#include "vmoodle/plan/plan_codec.hpp"

namespace vmoodle::plan {
namespace {

using nlohmann::json;

json from_to(const std::string& from, const std::string& to) {
  return {{"from", from}, {"to", to}};
}

Result<Action> action_named(const std::string& text) {
  for (Action action : {Action::create, Action::update, Action::migrate, Action::snapshot,
                        Action::destroy, Action::configure}) {
    if (text == name(action)) {
      return action;
    }
  }
  return fail(ErrorKind::usage, "unknown action `" + text + "` in the plan file");
}

HostChange change_from(const json& host, Action action) {
  HostChange change;
  change.action = action;
  change.vhostname = host.value("vhostname", "");
  change.server = host.value("server", "");
  change.database = host.value("database", "");
  change.dataroot = host.value("dataroot", "");
  change.template_name = host.value("template", "");
  change.snapshot = host.value("snapshot", "");
  change.replace = host.value("replace", false);
  change.resume = host.value("resume", false);
  change.notes = host.value("notes", std::vector<std::string>{});
  change.depends_on = host.value("depends_on", std::vector<std::size_t>{});
  for (const auto& field : host.value("fields", json::array())) {
    change.fields.push_back({field.value("column", ""), field.value("before", ""),
                             field.value("after", ""), field.value("sensitive", false)});
  }
  for (const auto& setting : host.value("settings", json::array())) {
    SettingChange entry{setting.value("plugin", ""), setting.value("name", ""), std::nullopt,
                        setting.value("after", "")};
    if (setting.contains("before") && setting["before"].is_string()) {
      entry.before = setting["before"].get<std::string>();
    }
    change.settings.push_back(std::move(entry));
  }
  for (const auto& hook : host.value("hooks", json::array())) {
    change.hooks.push_back({hook.value("hook", ""), hook.value("argv", std::vector<std::string>{}),
                            hook.value("timeout", 600)});
  }
  if (host.contains("migration")) {
    const auto& m = host["migration"];
    Migration migration;
    const auto& defaults = m.value("database_default", json::object());
    const auto& charset = defaults.value("charset", json::object());
    const auto& collation = defaults.value("collation", json::object());
    migration.charset_from = charset.value("from", "");
    migration.charset_to = charset.value("to", "");
    migration.collation_from = collation.value("from", "");
    migration.collation_to = collation.value("to", "");
    for (const auto& t : m.value("tables", json::array())) {
      TableChange table;
      table.table = t.value("table", "");
      const auto& engine = t.value("engine", json::object());
      const auto& tcoll = t.value("collation", json::object());
      const auto& format = t.value("row_format", json::object());
      table.engine_from = engine.value("from", "");
      table.engine_to = engine.value("to", "");
      table.collation_from = tcoll.value("from", "");
      table.collation_to = tcoll.value("to", "");
      table.row_format_from = format.value("from", "");
      table.row_format_to = format.value("to", "");
      table.bytes = t.value("bytes", std::uint64_t{0});
      migration.tables.push_back(std::move(table));
    }
    change.migration = std::move(migration);
  }
  return change;
}

} // namespace

json to_json(const Plan& plan) {
  json changes = json::array();
  for (const auto& change : plan.changes) {
    json fields = json::array();
    for (const auto& field : change.fields) {
      json entry = {{"column", field.column}, {"sensitive", field.sensitive}};
      if (change.action == Action::update) {
        entry["before"] = field.before;
      }
      entry["after"] = field.after;
      fields.push_back(std::move(entry));
    }
    json host = {{"vhostname", change.vhostname},  {"action", name(change.action)},
                 {"server", change.server},        {"database", change.database},
                 {"dataroot", change.dataroot},    {"fields", std::move(fields)},
                 {"notes", change.notes},          {"resume", change.resume},
                 {"depends_on", change.depends_on}};
    if (change.action == Action::create) {
      host["template"] = change.template_name;
    }
    if (change.action == Action::snapshot || change.action == Action::destroy) {
      host["snapshot"] = change.snapshot;
    }
    if (change.action == Action::snapshot) {
      host["replace"] = change.replace;
    }
    if (change.action == Action::configure) {
      json settings = json::array();
      for (const auto& setting : change.settings) {
        settings.push_back({{"key", model::setting_label(setting.plugin, setting.name)},
                            {"plugin", setting.plugin},
                            {"name", setting.name},
                            {"before", setting.before ? json(*setting.before) : json(nullptr)},
                            {"after", setting.after}});
      }
      host["settings"] = std::move(settings);
    }
    if (!change.hooks.empty()) {
      json hooks = json::array();
      for (const auto& hook : change.hooks) {
        hooks.push_back(
            {{"hook", hook.hook}, {"argv", hook.argv}, {"timeout", hook.timeout_seconds}});
      }
      host["hooks"] = std::move(hooks);
    }
    if (change.migration) {
      const auto& m = *change.migration;
      json tables = json::array();
      for (const auto& t : m.tables) {
        tables.push_back({{"table", t.table},
                          {"engine", from_to(t.engine_from, t.engine_to)},
                          {"collation", from_to(t.collation_from, t.collation_to)},
                          {"row_format", from_to(t.row_format_from, t.row_format_to)},
                          {"bytes", t.bytes}});
      }
      host["migration"] = {{"database_default",
                            {{"charset", from_to(m.charset_from, m.charset_to)},
                             {"collation", from_to(m.collation_from, m.collation_to)}}},
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
  return {{"format_version", 1},
          {"changes", std::move(changes)},
          {"unmanaged", std::move(unmanaged)},
          {"warnings", plan.warnings},
          {"summary",
           {{"create", summary.create},
            {"update", summary.update},
            {"migrate", summary.migrate},
            {"snapshot", summary.snapshot},
            {"destroy", summary.destroy},
            {"configure", summary.configure}}}};
}

Result<Plan> plan_from_json(const json& doc) {
  if (!doc.is_object() || doc.value("format_version", 0) != 1 || !doc.contains("changes") ||
      !doc["changes"].is_array()) {
    return fail(ErrorKind::usage, "not a vmoodle-apply plan (format_version 1)");
  }
  try {
    Plan plan;
    for (const auto& host : doc["changes"]) {
      VM_TRY_ASSIGN(auto action, action_named(host.value("action", "")));
      plan.changes.push_back(change_from(host, action));
    }
    for (const auto& host : doc.value("unmanaged", json::array())) {
      plan.unmanaged.push_back(
          {host.value("vhostname", ""), host.value("vdbname", ""), host.value("vdbhost", "")});
    }
    plan.warnings = doc.value("warnings", std::vector<std::string>{});
    for (const auto& change : plan.changes) {
      for (std::size_t dep : change.depends_on) {
        if (dep >= plan.changes.size()) {
          return fail(ErrorKind::usage, "plan file has a dependency on a change it does not hold");
        }
      }
    }
    return plan;
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorKind::usage, std::string("malformed plan file: ") + e.what());
  }
}

} // namespace vmoodle::plan
