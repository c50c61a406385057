// Site settings of a host: `config:`, `config_plugins:` and `maintenance:` over `defaults:`.
#include "vmoodle/manifest/resolve_settings.hpp"

#include <vector>

#include "vmoodle/manifest/identifiers.hpp"

namespace vmoodle::manifest {
namespace {

using nlohmann::json;

// Setting names are compared by MySQL in a case-insensitive collation that ignores
// trailing spaces: printable ASCII without spaces keeps "the same name" unambiguous.
bool is_setting_name(const std::string& name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    if (c <= ' ' || c > '~') {
      return false;
    }
  }
  return true;
}

// Moodle's frankenstyle component names: `mod_forum`, `theme_boost`, `moodlecourse`.
bool is_plugin_name(const std::string& name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

/// One setting as merged: its value (nullopt once a host dropped it) and where it was
/// written.
struct Merged {
  std::optional<std::string> value;
  JsonPath at;
};

class SettingsResolver {
public:
  SettingsResolver(int index, ResolveContext& ctx, std::map<std::string, Location>& key_locs)
      : m_index(index), m_ctx(ctx), m_key_locs(key_locs) {}

  model::Settings resolve(const json& entry, const json& defaults) {
    const JsonPath defaults_at = {PathSegment::field("defaults")};
    const JsonPath host_at = {PathSegment::field("hosts"), PathSegment::item(m_index)};
    for (const auto& [source, at] :
         {std::pair{&defaults, defaults_at}, std::pair{&entry, host_at}}) {
      if (!source->is_object()) {
        continue;
      }
      merge_config(*source, at);
      merge_plugins(*source, at);
      if (source->contains("maintenance") && source->at("maintenance").is_boolean()) {
        m_maintenance =
            Merged{source->at("maintenance").get<bool>() ? "1" : "0", with(at, {"maintenance"})};
      }
    }
    return finish();
  }

private:
  static JsonPath with(JsonPath at, std::initializer_list<std::string> keys) {
    for (const auto& key : keys) {
      at.push_back(PathSegment::field(key));
    }
    return at;
  }

  void merge_config(const json& source, const JsonPath& at) {
    if (!source.contains("config") || !source.at("config").is_object()) {
      return;
    }
    for (const auto& [name, value] : source.at("config").items()) {
      m_config[name] = Merged{value.is_null() ? std::nullopt : std::optional(setting_text(value)),
                              with(at, {"config", name})};
    }
  }

  void merge_plugins(const json& source, const JsonPath& at) {
    if (!source.contains("config_plugins") || !source.at("config_plugins").is_object()) {
      return;
    }
    for (const auto& [plugin, settings] : source.at("config_plugins").items()) {
      if (!settings.is_object()) {
        continue;
      }
      for (const auto& [name, value] : settings.items()) {
        m_plugins[{plugin, name}] =
            Merged{value.is_null() ? std::nullopt : std::optional(setting_text(value)),
                   with(at, {"config_plugins", plugin, name})};
      }
    }
  }

  bool check_name(const std::string& what, const std::string& name, std::size_t limit,
                  const JsonPath& at) {
    const Location loc = m_ctx.source.at(at);
    if (!is_setting_name(name)) {
      m_ctx.diags.add(loc, "invalid " + what + " " + shown(name) + ": not a Moodle setting name",
                      "setting names are printable ASCII without spaces, as Moodle writes them");
      return false;
    }
    if (character_count(name) > limit) {
      m_ctx.diags.add(loc,
                      what + " " + shown(name) + " is longer than Moodle's column (" +
                          std::to_string(limit) + " characters)",
                      "check the name against the setting's admin page or the table");
      return false;
    }
    return true;
  }

  // Two spellings the database takes for one row would plan two writes to it.
  void check_case(std::map<std::string, std::string>& seen, const std::string& key,
                  const std::string& label, const JsonPath& at) {
    auto [it, inserted] = seen.emplace(ascii_lower(key), label);
    if (!inserted) {
      m_ctx.diags.add(m_ctx.source.at(at),
                      label + " and " + it->second + " name the same setting (the database " +
                          "compares names ignoring case)",
                      "keep one spelling");
    }
  }

  model::Settings finish() {
    model::Settings settings;
    std::map<std::string, std::string> seen;
    for (const auto& [name, merged] : m_config) {
      if (!merged.value || !check_name("setting name", name, model::k_max_config_name, merged.at)) {
        continue;
      }
      const std::string label = model::setting_label("", name);
      check_case(seen, name, label, merged.at);
      settings.config[name] = *merged.value;
      m_key_locs[label] = m_ctx.source.at(merged.at);
    }
    seen.clear();
    for (const auto& [key, merged] : m_plugins) {
      const auto& [plugin, name] = key;
      if (merged.value && !is_plugin_name(plugin)) {
        m_ctx.diags.add(m_ctx.source.at(merged.at),
                        "invalid plugin name " + shown(plugin) + ": not a Moodle component name",
                        "write the plugin as Moodle names it: lower-case letters, digits and `_`, "
                        "starting with a letter (`mod_forum`, `theme_boost`)");
        continue;
      }
      if (!merged.value ||
          !check_name("plugin name", plugin, model::k_max_plugin_name, merged.at) ||
          !check_name("setting name", name, model::k_max_plugin_setting_name, merged.at)) {
        continue;
      }
      const std::string label = model::setting_label(plugin, name);
      check_case(seen, plugin + "\n" + name, label, merged.at);
      settings.plugins[key] = *merged.value;
      m_key_locs[label] = m_ctx.source.at(merged.at);
    }
    if (m_maintenance) {
      const std::string label = model::setting_label("", model::k_maintenance_setting);
      auto it = m_config.find(model::k_maintenance_setting);
      if (it != m_config.end() && it->second.value) {
        m_ctx.diags.add(m_ctx.source.at(m_maintenance->at),
                        "`maintenance` and `" + label + "` both set Moodle's maintenance flag",
                        "keep `maintenance: true|false` and remove " + render_path(it->second.at));
      } else {
        settings.config[model::k_maintenance_setting] = *m_maintenance->value;
        m_key_locs[label] = m_ctx.source.at(m_maintenance->at);
      }
    }
    return settings;
  }

  int m_index;
  ResolveContext& m_ctx;
  std::map<std::string, Location>& m_key_locs;
  std::map<std::string, Merged> m_config;
  std::map<model::PluginSettingKey, Merged> m_plugins;
  std::optional<Merged> m_maintenance;
};

} // namespace

std::string setting_text(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_boolean()) {
    return value.get<bool>() ? "1" : "0";
  }
  if (value.is_number_unsigned()) {
    return std::to_string(value.get<std::uint64_t>());
  }
  if (value.is_number_integer()) {
    return std::to_string(value.get<std::int64_t>());
  }
  // The schema admits no other kind; a decimal would lose its written text.
  return value.dump();
}

model::Settings resolve_settings(const json& entry, const json& defaults, int index,
                                 ResolveContext& ctx, std::map<std::string, Location>& key_locs) {
  return SettingsResolver(index, ctx, key_locs).resolve(entry, defaults);
}

} // namespace vmoodle::manifest
