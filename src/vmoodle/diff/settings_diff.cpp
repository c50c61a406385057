#include "vmoodle/diff/settings_diff.hpp"

#include "vmoodle/diff/host_change.hpp"

namespace vmoodle::diff {

std::vector<plan::SettingChange> settings_changes(const model::Settings& wanted,
                                                  const model::SettingsFacts& live) {
  std::vector<plan::SettingChange> changes;
  for (const auto& [name, value] : wanted.config) {
    auto before = live.config_value(name);
    if (before != value) {
      changes.push_back({"", name, std::move(before), value});
    }
  }
  for (const auto& [key, value] : wanted.plugins) {
    auto before = live.plugin_value(key);
    if (before != value) {
      changes.push_back({key.first, key.second, std::move(before), value});
    }
  }
  return changes;
}

std::vector<plan::SettingChange> all_settings(const model::Settings& wanted) {
  return settings_changes(wanted, model::SettingsFacts{});
}

std::optional<plan::HostChange> configure_change(const model::Host& host,
                                                 const model::LiveState& live, bool creating,
                                                 std::vector<std::string>& warnings) {
  if (host.settings.empty() || host.state == model::HostState::absent) {
    return std::nullopt;
  }
  plan::HostChange change = change_for(host, plan::Action::configure);
  if (creating) {
    change.settings = all_settings(host.settings);
    change.notes.emplace_back("values are compared once the host is created: only those that "
                              "differ from the template's are written");
    return change;
  }
  const auto* facts = live.settings_of(host.server, host.database);
  if (facts == nullptr || !facts->read) {
    // A missing database is reported by the update check; a database without the
    // settings tables is not a Moodle site this tool can configure.
    const auto* db = live.database(host.server, host.database);
    if (db != nullptr && db->exists) {
      warnings.push_back(host.vhostname + ": site settings not read: database " + host.database +
                         " has no " + host.prefix + "config or " + host.prefix +
                         "config_plugins table");
    }
    return std::nullopt;
  }
  change.settings = settings_changes(host.settings, *facts);
  if (change.settings.empty()) {
    return std::nullopt;
  }
  return change;
}

} // namespace vmoodle::diff
